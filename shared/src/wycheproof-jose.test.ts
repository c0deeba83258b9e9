import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { checkIssuerSignature } from './check-issuer-signature.js';
import { decodeBase64urlStrict, decodeJsonObject } from './encoding.js';
import { ClubpassError, type ErrorCode } from './errors.js';
import { importJwks } from './jwks.js';
import { importPublicJwk, jwkThumbprint, parsePublicJwk } from './public-jwk.js';
import type { TrustedKeySet } from './types.js';

// The Wycheproof JOSE vectors that apply to Clubpass: compact JWS under EdDSA/ES256 (there are
// no EdDSA ones), public JWK sets, and the refusal of every other algorithm. Wycheproof calls
// some HS/RS/PS tokens "valid"; Clubpass refuses those by design (§2: EdDSA and ES256 only).

type Jwk = Record<string, unknown>;
interface JoseCase {
  tcId: number;
  comment: string;
  jws: string | Record<string, unknown>;
  result: 'valid' | 'invalid';
}
interface JoseGroup {
  comment: string;
  public?: Jwk & { keys?: Jwk[] };
  private?: Jwk & { keys?: Jwk[] };
  tests: JoseCase[];
}
interface JoseFile {
  numberOfTests: number;
  testGroups: JoseGroup[];
}

function fixture(path: string): JoseFile {
  return JSON.parse(readFileSync(new URL(`../fixtures/wycheproof/${path}`, import.meta.url), 'utf8')) as JoseFile;
}

/**
 * The library's verdict on a compact JWS: strict base64url segments and a JSON-object header
 * (rule 2), then rules 3-5 exactly as checkIssuerSignature applies them. Two adaptations, both
 * because Wycheproof tests JOSE and not Clubpass: the payloads are raw bytes ("foo"), not the JSON
 * object Clubpass requires, so they are only strictly decoded; and the tokens carry no `typ`, so
 * the header's own is expected (the typ rule is tested in verify-header.test.ts).
 */
async function verdict(jws: unknown, keys: TrustedKeySet): Promise<'accepted' | ErrorCode> {
  try {
    if (typeof jws !== 'string') throw new ClubpassError('malformed_credential', 'JSON serialization');
    const segments = jws.split('.');
    if (segments.length !== 3 || segments[0] === '' || segments[1] === '') {
      throw new ClubpassError('malformed_credential', 'not three segments');
    }
    const [headerSegment, payloadSegment, signatureSegment] = segments as [string, string, string];
    const header = decodeJsonObject(headerSegment);
    decodeBase64urlStrict(payloadSegment);
    const parsed = {
      header,
      payload: {},
      signingInput: `${headerSegment}.${payloadSegment}`,
      signature: decodeBase64urlStrict(signatureSegment),
    };
    await checkIssuerSignature(parsed, keys, header.typ as string);
    return 'accepted';
  } catch (error) {
    if (error instanceof ClubpassError) return error.code;
    throw error;
  }
}

/** A trusted set holding one key under the vector's own kid (which is not a thumbprint). */
async function trust(jwk: Jwk): Promise<TrustedKeySet> {
  const parsed = parsePublicJwk(jwk, 'invalid_request');
  const kid = jwk.kid as string;
  return new Map([
    [kid, { kid, alg: parsed.alg, key: await importPublicJwk(parsed, 'invalid_request'), jwk: parsed.jwk }],
  ]);
}

const signatures = fixture('json_web_signature_test.json');
const keySets = fixture('json_web_key_test.json');
const isEs256 = (g: JoseGroup) => g.comment === 'es256' || g.comment === 'SpecialCaseEs256';

describe('Wycheproof json_web_signature_test.json', () => {
  test('ES256 groups: the 2 valid tokens verify and the 37 invalid ones are refused', async () => {
    const codes: Record<string, number> = {};
    let valid = 0;
    let invalid = 0;
    for (const group of signatures.testGroups.filter(isEs256)) {
      const keys = await trust(group.public as Jwk);
      for (const c of group.tests) {
        const got = await verdict(c.jws, keys);
        if (c.result === 'valid') {
          assert.equal(got, 'accepted', `tcId ${c.tcId} ${c.comment}`);
          valid++;
        } else {
          assert.notEqual(got, 'accepted', `tcId ${c.tcId} ${c.comment}`);
          codes[got] = (codes[got] ?? 0) + 1;
          invalid++;
        }
      }
    }
    assert.deepEqual([valid, invalid], [2, 37]);
    // The attacker-embedded jwk (tcId 32) and the HS256-keyed-with-EC-bytes confusion (tcId 31) are among these.
    assert.deepEqual(codes, {
      invalid_signature: 27,
      malformed_credential: 8,
      unknown_key: 1,
      unsupported_algorithm: 1,
    });
  });

  test('keys marked for encryption (use: enc, key_ops without verify) are refused as signing keys', async () => {
    const groups = signatures.testGroups.filter((g) => g.comment === 'ec_key_for_encryption');
    assert.equal(groups.length, 2);
    for (const group of groups) {
      const jwk = { ...group.public, kid: await jwkThumbprint(group.public as Jwk) };
      await assert.rejects(
        importJwks({ keys: [jwk] }),
        (e) => e instanceof ClubpassError && e.code === 'invalid_request',
      );
    }
  });

  test('every token under any other algorithm, "valid" or not, is refused before any key is looked up', async () => {
    const others = signatures.testGroups.filter((g) => !isEs256(g) && g.comment !== 'ec_key_for_encryption');
    const codes: Record<string, number> = {};
    let checked = 0;
    for (const c of others.flatMap((g) => g.tests)) {
      const got = await verdict(c.jws, new Map());
      assert.ok(got === 'unsupported_algorithm' || got === 'malformed_credential', `tcId ${c.tcId}: ${got}`);
      codes[got] = (codes[got] ?? 0) + 1;
      checked++;
    }
    assert.equal(checked + 39 + 2, signatures.numberOfTests);
    assert.equal(checked, 360);
    assert.deepEqual(codes, { malformed_credential: 39, unsupported_algorithm: 321 });
  });
});

describe('Wycheproof json_web_key_test.json', () => {
  // Each key's kid is first rewritten to its RFC 7638 thumbprint, where it has one, so that the
  // kid rule is not what refuses the set: the key itself must be.
  async function withThumbprintKids(keys: Jwk[]): Promise<Jwk[]> {
    return Promise.all(keys.map(async (k) => ({ ...k, kid: await jwkThumbprint(k).catch(() => k.kid) })));
  }

  test('all 26 key sets are refused by importJwks', async () => {
    let refused = 0;
    for (const group of keySets.testGroups) {
      const set = (group.public ?? group.private) as { keys: Jwk[] };
      const keys = await withThumbprintKids(set.keys);
      await assert.rejects(
        importJwks({ keys }),
        (e) => e instanceof ClubpassError && e.code === 'invalid_request',
        group.comment,
      );
      refused += group.tests.length;
    }
    assert.equal(refused, keySets.numberOfTests);
    assert.equal(refused, 26);
  });

  test('control: the P-256 key those sets modify is accepted as published (ES256, use: sig, thumbprint kid)', async () => {
    const group = keySets.testGroups.find((g) => g.comment === 'jws_mixedSymmetryKeyset') as JoseGroup;
    const ec = (group.private as { keys: Jwk[] }).keys.find((k) => k.kty === 'EC') as Jwk;
    const [key] = await withThumbprintKids([ec]);
    const imported = await importJwks({ keys: [key] });
    assert.deepEqual(
      [...imported.values()].map((k) => k.alg),
      ['ES256'],
    );
  });
});
