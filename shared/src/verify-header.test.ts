import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { base64url } from 'jose';
import { generateKeyPair } from './generate-key-pair.js';
import { rejectsWithCode } from './test-support/assert-code.js';
import { createTestClub, presentation, type TestClub, verifyOptions } from './test-support/club.js';
import {
  bindPresentation,
  encodeJson,
  type ForgeCredentialOptions,
  forgeCredential,
  unsignedJws,
} from './test-support/forge.js';
import { verifyPresentation } from './verify-presentation.js';

// Rules 3-5 of PROTOCOL.md §5. Each forged credential gets a valid KB-JWT over exactly what is
// presented, so the header rule under test is the only thing standing between it and acceptance.

let club: TestClub;
let attacker: Awaited<ReturnType<typeof generateKeyPair>>;
const fetchCalls: unknown[] = [];
const realFetch = globalThis.fetch;

before(async () => {
  club = await createTestClub();
  attacker = await generateKeyPair('EdDSA', { extractable: false });
  // Any attempt to follow jku/x5u (or anything else) is recorded, and answered with the attacker's key.
  globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
    fetchCalls.push(args);
    return new Response(JSON.stringify({ keys: [attacker.publicJwk] }), { status: 200 });
  };
});
after(() => {
  globalThis.fetch = realFetch;
  assert.equal(fetchCalls.length, 0, 'the verifier fetched something');
});

async function forged(options: ForgeCredentialOptions = {}): Promise<string> {
  return bindPresentation(club, await forgeCredential(club, options));
}

test('control: a hand-built presentation with no defect verifies', async () => {
  const result = await verifyPresentation(await forged(), verifyOptions(club));
  assert.equal(result.kid, club.issuer.kid);
});

describe('rule 3: alg', () => {
  for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
    test(`alg "${alg}" with an empty signature is unsupported_algorithm`, async () => {
      const token = await forged({ header: { alg }, jws: unsignedJws });
      await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'unsupported_algorithm');
    });
  }

  test('HS256 keyed with the public key bytes (the RS/HS confusion) is unsupported_algorithm', async () => {
    const x = base64url.decode(club.issuer.publicJwk.x as string);
    const jwkText = new TextEncoder().encode(JSON.stringify(club.issuer.publicJwk));
    for (const secret of [x, jwkText]) {
      const token = await forged({ header: { alg: 'HS256' }, key: secret });
      await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'unsupported_algorithm');
    }
  });

  test('every other alg, including near spellings and RFC 9864 "Ed25519", is unsupported_algorithm', async () => {
    const algs = ['HS384', 'RS256', 'PS256', 'ES256K', 'ES384', 'ES512', 'Ed25519', 'eddsa', 'EdDSA ', 'es256', ''];
    for (const alg of [...algs, null, 0, ['EdDSA'], { alg: 'EdDSA' }, undefined]) {
      const token = await forged({ header: { alg }, jws: (header, payload) => unsignedJws(header, payload, 'AAAA') });
      await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'unsupported_algorithm');
    }
  });
});

describe('rule 3: typ and crit', () => {
  for (const typ of ['JWT', 'vc+sd-jwt', 'DC+SD-JWT', 'application/dc+sd-jwt', 'kb+jwt', 'dc+sd-jwt ', undefined]) {
    test(`typ ${JSON.stringify(typ)} is invalid_type`, async () => {
      const token = await forged({ header: { typ } });
      await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'invalid_type');
    });
  }

  test('a crit header, even an empty one, is malformed_credential', async () => {
    for (const header of [{ crit: ['exp'], exp: 1 }, { crit: [] }, { crit: ['b64'], b64: true }]) {
      const token = await forged({ header });
      await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'malformed_credential');
    }
  });
});

describe('rule 3: key-carrying headers are never used or fetched', () => {
  const attackerHeaders = () => ({
    jwk: attacker.publicJwk,
    jku: 'https://attacker.example/jwks.json',
    x5u: 'https://attacker.example/cert.pem',
    x5c: ['MIIBfake'],
  });

  test('an attacker-signed token naming its own key by kid is unknown_key', async () => {
    const token = await forged({ header: { ...attackerHeaders(), kid: attacker.kid }, key: attacker.privateKey });
    await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'unknown_key');
    assert.equal(fetchCalls.length, 0);
  });

  test("an attacker-signed token naming the club's kid is invalid_signature", async () => {
    const token = await forged({ header: attackerHeaders(), key: attacker.privateKey });
    await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'invalid_signature');
    assert.equal(fetchCalls.length, 0);
  });

  test('with no kid at all, the embedded jwk is not a fallback: unknown_key', async () => {
    const token = await forged({ header: { ...attackerHeaders(), kid: undefined }, key: attacker.privateKey });
    await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'unknown_key');
    assert.equal(fetchCalls.length, 0);
  });

  test('on a club-signed token they are inert: the key still comes from the trusted set', async () => {
    const result = await verifyPresentation(await forged({ header: attackerHeaders() }), verifyOptions(club));
    assert.equal(result.kid, club.issuer.kid);
    assert.equal(fetchCalls.length, 0);
  });
});

describe('rule 4: kid', () => {
  const injections = ['../../etc/passwd', "' OR '1'='1", '__proto__', 'constructor', 'toString', '', ' '];
  for (const kid of [...injections, 0, null, {}, ['x'], undefined]) {
    test(`kid ${JSON.stringify(kid) ?? 'missing'} is unknown_key`, async () => {
      const token = await forged({ header: { kid } });
      await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'unknown_key');
    });
  }

  test("the club's kid with any change, or as the only array element, is unknown_key", async () => {
    const kid = club.issuer.kid;
    for (const variant of [`${kid} `, kid.toLowerCase(), kid.slice(1), [kid]]) {
      const token = await forged({ header: { kid: variant } });
      await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'unknown_key');
    }
  });

  test('an empty key set trusts nothing', async () => {
    await rejectsWithCode(verifyPresentation(await forged(), verifyOptions(club, { keys: new Map() })), 'unknown_key');
  });
});

describe('rule 5: signature', () => {
  test('a payload changed after signing is invalid_signature', async () => {
    const [jwt, ...rest] = (await forgeCredential(club)).split('~');
    const [header, payload, signature] = (jwt as string).split('.') as [string, string, string];
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
    claims.benefit.terms.percent_off = 100;
    const tampered = [`${header}.${encodeJson(claims)}.${signature}`, ...rest].join('~');
    await rejectsWithCode(
      verifyPresentation(await bindPresentation(club, tampered), verifyOptions(club)),
      'invalid_signature',
    );
  });

  test('a header changed after signing is invalid_signature', async () => {
    const [jwt, ...rest] = (await forgeCredential(club)).split('~');
    const [, payload, signature] = (jwt as string).split('.');
    const header = encodeJson({ alg: club.issuer.alg, typ: 'dc+sd-jwt', kid: club.issuer.kid, extra: 1 });
    const tampered = [`${header}.${payload}.${signature}`, ...rest].join('~');
    await rejectsWithCode(
      verifyPresentation(await bindPresentation(club, tampered), verifyOptions(club)),
      'invalid_signature',
    );
  });

  test('an empty, short, zero, or borrowed signature is invalid_signature', async () => {
    const other = (await presentation(club)).split('~')[0]?.split('.')[2] as string;
    for (const signature of ['', 'AAAA', 'A'.repeat(86), other]) {
      const token = await forged({ jws: (header, payload) => unsignedJws(header, payload, signature) });
      await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'invalid_signature');
    }
  });

  test("a header alg that is not the trusted key's alg is invalid_signature, even when the signature is good", async () => {
    // Both an EdDSA and an ES256 club key are trusted. The token names the ES256 key and carries
    // a good ES256 signature, but its header says EdDSA: only the kid/alg pairing catches the lie.
    const es256 = await createTestClub({ issuerAlg: 'ES256' });
    const keys = new Map([...club.keys, ...es256.keys]);
    const honest = await forged({ header: { kid: es256.issuer.kid, alg: 'ES256' }, key: es256.issuer.privateKey });
    assert.equal((await verifyPresentation(honest, verifyOptions(club, { keys }))).kid, es256.issuer.kid);
    const lying = await forged({ header: { kid: es256.issuer.kid, alg: 'EdDSA' }, key: es256.issuer.privateKey });
    await rejectsWithCode(verifyPresentation(lying, verifyOptions(club, { keys })), 'invalid_signature');
    const crossed = await forged({ header: { kid: es256.issuer.kid, alg: 'EdDSA' } });
    await rejectsWithCode(verifyPresentation(crossed, verifyOptions(club, { keys })), 'invalid_signature');
  });
});

describe('order of rules 2-6', () => {
  test('malformed beats unsupported_algorithm: alg none with a padded signature', async () => {
    const token = await forged({ header: { alg: 'none' }, jws: (h, p) => unsignedJws(h, p, 'AA==') });
    await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'malformed_credential');
  });

  test('unsupported_algorithm beats invalid_type and unknown_key', async () => {
    const token = await forged({ header: { alg: 'none', typ: 'JWT', kid: 'nope' }, jws: unsignedJws });
    await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'unsupported_algorithm');
  });

  test('invalid_type beats crit and unknown_key', async () => {
    const token = await forged({ header: { typ: 'JWT', kid: 'nope', crit: ['exp'], exp: 1 } });
    await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'invalid_type');
  });

  test('a crit header beats unknown_key', async () => {
    const token = await forged({ header: { kid: 'nope', crit: ['exp'], exp: 1 } });
    await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'malformed_credential');
  });

  test('unknown_key beats a bad signature', async () => {
    const token = await forged({ header: { kid: 'nope' }, jws: (h, p) => unsignedJws(h, p, 'AAAA') });
    await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'unknown_key');
  });

  test('invalid_signature beats every claim rule: unsigned claims are never looked at', async () => {
    const claims = { iss: 'https://evil.example', aud: 'aff_other', exp: 1, vct: 'x' };
    const token = await forged({ claims, key: attacker.privateKey });
    await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'invalid_signature');
  });
});
