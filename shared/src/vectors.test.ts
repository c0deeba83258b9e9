import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { decodeBase64urlStrict, utf8 } from './encoding.js';
import { importJwks } from './jwks.js';
import type { SigningAlgorithm } from './types.js';
import { verifyPresentation } from './verify-presentation.js';
import { verifySignature } from './verify-signature.js';

// Third-party vectors through the library's one signature check. Counts are asserted, so a
// vector file that shrinks, or cases that are silently skipped, fail the test.

function fixture<T>(path: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8')) as T;
}

const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

interface WycheproofCase {
  tcId: number;
  comment: string;
  msg: string;
  sig: string;
  result: 'valid' | 'invalid' | 'acceptable';
}
interface WycheproofFile<G> {
  numberOfTests: number;
  testGroups: Array<G & { tests: WycheproofCase[] }>;
}

interface Tally {
  checked: number;
  validAccepted: number;
  invalidRejected: number;
  invalidKeyRejected: number;
  acceptable: number;
  acceptableAccepted: number;
  wrong: string[];
}

/** Runs every case of every group, counting outcomes instead of stopping at the first surprise. */
async function run<G>(
  file: WycheproofFile<G>,
  alg: SigningAlgorithm,
  importKey: (group: G) => Promise<CryptoKey>,
): Promise<Tally> {
  const tally: Tally = {
    checked: 0,
    validAccepted: 0,
    invalidRejected: 0,
    invalidKeyRejected: 0,
    acceptable: 0,
    acceptableAccepted: 0,
    wrong: [],
  };
  for (const group of file.testGroups) {
    let key: CryptoKey | null = null;
    try {
      key = await importKey(group);
    } catch {
      // A key WebCrypto refuses outright rejects every signature under it; that is only right for invalid cases.
    }
    for (const c of group.tests) {
      tally.checked++;
      const accepted = key !== null && (await verifySignature(alg, key, hex(c.msg), hex(c.sig)));
      if (c.result === 'acceptable') {
        tally.acceptable++;
        if (accepted) tally.acceptableAccepted++;
      } else if (c.result === 'valid' && accepted) tally.validAccepted++;
      else if (c.result === 'invalid' && !accepted) {
        tally.invalidRejected++;
        if (key === null) tally.invalidKeyRejected++;
      } else
        tally.wrong.push(
          `tcId ${c.tcId} (${c.result}, ${c.comment || 'no comment'}): ${accepted ? 'accepted' : 'rejected'}`,
        );
    }
  }
  return tally;
}

const count = (file: WycheproofFile<unknown>, result: string) =>
  file.testGroups.flatMap((g) => g.tests).filter((c) => c.result === result).length;

describe('Wycheproof Ed25519 through verifySignature', () => {
  const file = fixture<WycheproofFile<{ publicKey: { pk: string } }>>('wycheproof/ed25519_test.json');

  test('accepts all 88 valid and rejects all 63 invalid of 151 cases', async () => {
    const tally = await run(file, 'EdDSA', (g) =>
      crypto.subtle.importKey('raw', hex(g.publicKey.pk), { name: 'Ed25519' }, true, ['verify']),
    );
    assert.deepEqual(tally.wrong, []);
    assert.equal(tally.checked, file.numberOfTests);
    assert.equal(tally.checked, 151);
    assert.equal(tally.validAccepted, count(file, 'valid'));
    assert.equal(tally.validAccepted, 88);
    assert.equal(tally.invalidRejected, 63);
    // Every invalid case was rejected by the signature check itself, not by a refused key.
    assert.equal(tally.invalidKeyRejected, 0);
    // This vector file has no "acceptable" cases; if a new one does, its count shows up here.
    assert.equal(tally.acceptable, 0);
  });
});

describe('Wycheproof ECDSA P-256 SHA-256 (IEEE P1363) through verifySignature', () => {
  type Group = { publicKey: { uncompressed: string }; publicKeyJwk?: Record<string, string> };
  const file = fixture<WycheproofFile<Group>>('wycheproof/ecdsa_secp256r1_sha256_p1363_test.json');

  test('accepts all 173 valid and rejects all 89 invalid of 262 cases', async () => {
    let viaJwk = 0;
    let viaPoint = 0;
    const tally = await run(file, 'ES256', (g) => {
      const params = { name: 'ECDSA', namedCurve: 'P-256' };
      if (g.publicKeyJwk !== undefined) {
        viaJwk++;
        const { kid: _kid, ...jwk } = g.publicKeyJwk;
        return crypto.subtle.importKey('jwk', jwk, params, true, ['verify']);
      }
      // Nine groups (edge-case keys) carry no JWK: the uncompressed point is the same key.
      viaPoint++;
      return crypto.subtle.importKey('raw', hex(g.publicKey.uncompressed), params, true, ['verify']);
    });
    assert.deepEqual(tally.wrong, []);
    assert.equal(tally.checked, file.numberOfTests);
    assert.equal(tally.checked, 262);
    assert.equal(tally.validAccepted, count(file, 'valid'));
    assert.equal(tally.validAccepted, 173);
    assert.equal(tally.invalidRejected, 89);
    assert.equal(tally.invalidKeyRejected, 0);
    assert.equal(tally.acceptable, 0);
    assert.deepEqual([viaJwk, viaPoint], [103, 9]);
  });

  test('the JWK and the uncompressed point of a group are the same key', async () => {
    const group = file.testGroups[0] as Group & { tests: WycheproofCase[] };
    const params = { name: 'ECDSA', namedCurve: 'P-256' };
    const fromPoint = await crypto.subtle.importKey('raw', hex(group.publicKey.uncompressed), params, true, ['verify']);
    const exported = await crypto.subtle.exportKey('jwk', fromPoint);
    assert.equal(exported.x, group.publicKeyJwk?.x);
    assert.equal(exported.y, group.publicKeyJwk?.y);
  });
});

describe('RFC 8037 A.4 (JOSE cookbook): Ed25519 JWS', () => {
  const vector = fixture<{
    input: { payload: string; key: { kty: string; crv: string; x: string; d: string } };
    signing: { 'sig-input': string; sig: string; protected_b64u: string };
    output: { compact: string };
  }>('jose-cookbook/rfc8037-ed25519-jws.json');
  const publicKey = () => {
    const { d: _d, ...jwk } = vector.input.key;
    return crypto.subtle.importKey('jwk', jwk, { name: 'Ed25519' }, true, ['verify']);
  };

  test('the vector is self-consistent: compact = sig-input.sig, payload as stated', () => {
    const [header, payload, signature] = vector.output.compact.split('.');
    assert.equal(`${header}.${payload}`, vector.signing['sig-input']);
    assert.equal(signature, vector.signing.sig);
    assert.equal(Buffer.from(payload as string, 'base64url').toString(), vector.input.payload);
  });

  test('the example JWS verifies with the example public key', async () => {
    const signature = decodeBase64urlStrict(vector.signing.sig);
    assert.equal(await verifySignature('EdDSA', await publicKey(), utf8(vector.signing['sig-input']), signature), true);
  });

  test('one changed payload character, or the wrong algorithm, does not verify', async () => {
    const signature = decodeBase64urlStrict(vector.signing.sig);
    const changed = vector.signing['sig-input'].replace(/.$/, 'h');
    assert.notEqual(changed, vector.signing['sig-input']);
    assert.equal(await verifySignature('EdDSA', await publicKey(), utf8(changed), signature), false);
    assert.equal(
      await verifySignature('ES256', await publicKey(), utf8(vector.signing['sig-input']), signature),
      false,
    );
  });

  test('a private key is never used to verify', async () => {
    const privateKey = await crypto.subtle.importKey('jwk', vector.input.key, { name: 'Ed25519' }, false, ['sign']);
    const signature = decodeBase64urlStrict(vector.signing.sig);
    assert.equal(await verifySignature('EdDSA', privateKey, utf8(vector.signing['sig-input']), signature), false);
  });
});

describe('stored Clubpass presentations (fixtures/clubpass)', () => {
  const stored = fixture<{
    now: string;
    issuer: string;
    audience: string;
    origin: string;
    nonce: string;
    cases: Array<{ alg: string; jwks: unknown; presentation: string; expected: unknown }>;
  }>('clubpass/presentations.json');

  test('an EdDSA and an ES256 presentation still verify to exactly the stored result', async () => {
    const { now, issuer, audience, origin, nonce } = stored;
    assert.deepEqual(
      stored.cases.map((c) => c.alg),
      ['EdDSA', 'ES256'],
    );
    for (const c of stored.cases) {
      const keys = await importJwks(c.jwks);
      const clock = { now: () => new Date(now) };
      const result = await verifyPresentation(c.presentation, { keys, issuer, audience, origin, nonce, clock });
      assert.deepEqual(JSON.parse(JSON.stringify(result)), c.expected, c.alg);
    }
  });
});
