import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import { exportPublicJwk, generateKeyPair } from './generate-key-pair.js';
import { buildJwks, importJwks } from './jwks.js';
import { jwkThumbprint } from './public-jwk.js';
import { rejectsWithCode } from './test-support/assert-code.js';

/** RFC 7638 computed here from its definition, independently of jose. */
async function thumbprint(jwk: JWK): Promise<string> {
  const required =
    jwk.kty === 'EC' ? ['crv', 'kty', 'x', 'y'] : jwk.kty === 'OKP' ? ['crv', 'kty', 'x'] : ['e', 'kty', 'n'];
  const canonical = `{${required.map((k) => `"${k}":"${jwk[k as keyof JWK]}"`).join(',')}}`;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical));
  return Buffer.from(digest).toString('base64url');
}

describe('kid is the RFC 7638 SHA-256 thumbprint', () => {
  test('the RFC 7638 §3.1 example key gives NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs', async () => {
    const rsa: JWK = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };
    assert.equal(await jwkThumbprint(rsa), 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
    assert.equal(await thumbprint(rsa), 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  test('the RFC 8037 A.3 Ed25519 example key gives kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k', async () => {
    const jwk = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
    assert.equal(await jwkThumbprint(jwk), 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });

  for (const alg of ['EdDSA', 'ES256'] as const) {
    test(`generateKeyPair(${alg}) publishes the public members, kid, alg and use: sig, and nothing private`, async () => {
      const pair = await generateKeyPair(alg, { extractable: false });
      const { kid, ...members } = pair.publicJwk;
      assert.equal(kid, await thumbprint(pair.publicJwk));
      assert.equal(kid, await calculateJwkThumbprint(pair.publicJwk, 'sha256'));
      assert.equal(pair.kid, kid);
      assert.equal(pair.alg, alg);
      const expected = alg === 'EdDSA' ? ['alg', 'crv', 'kty', 'use', 'x'] : ['alg', 'crv', 'kty', 'use', 'x', 'y'];
      assert.deepEqual(Object.keys(members).sort(), expected);
      assert.equal(members.crv, alg === 'EdDSA' ? 'Ed25519' : 'P-256');
      assert.equal(members.use, 'sig');
      assert.equal(pair.privateKey.extractable, false);
      assert.equal(pair.privateKey.type, 'private');
    });
  }

  test('extractable: true is honoured, for the club key that must be encrypted at rest', async () => {
    const pair = await generateKeyPair('EdDSA', { extractable: true });
    assert.equal(pair.privateKey.extractable, true);
    assert.ok((await exportJWK(pair.privateKey)).d);
  });

  test('a non-extractable private key cannot be exported at all', async () => {
    const pair = await generateKeyPair('ES256', { extractable: false });
    await assert.rejects(crypto.subtle.exportKey('jwk', pair.privateKey));
  });

  test('exportPublicJwk refuses a private key rather than publish d', async () => {
    const pair = await generateKeyPair('EdDSA', { extractable: true });
    await rejectsWithCode(exportPublicJwk(pair.privateKey), 'invalid_request');
    assert.deepEqual(await exportPublicJwk(pair.publicKey), pair.publicJwk);
  });
});

describe('buildJwks', () => {
  test('keeps only public members, kid, alg and use, whatever else it is handed', async () => {
    const ed = await generateKeyPair('EdDSA', { extractable: false });
    const ec = await generateKeyPair('ES256', { extractable: false });
    const noisy = {
      ...ed.publicJwk,
      ext: true,
      key_ops: ['sign'],
      x5c: ['MIIB'],
      kid: 'chosen-by-caller',
      alg: 'ES256',
    };
    const jwks = await buildJwks([noisy, ec.publicJwk]);
    assert.deepEqual(jwks, { keys: [ed.publicJwk, ec.publicJwk] });
    assert.ok(jwks.keys.every((k) => !('d' in k) && !('k' in k)));
  });

  test('refuses a private JWK or a symmetric key instead of publishing it', async () => {
    const pair = await generateKeyPair('EdDSA', { extractable: true });
    await rejectsWithCode(buildJwks([await exportJWK(pair.privateKey)]), 'invalid_request');
    await rejectsWithCode(buildJwks([{ kty: 'oct', k: 'c2VjcmV0' }]), 'invalid_request');
  });
});

describe('importJwks', () => {
  async function publishedSet() {
    const ed = await generateKeyPair('EdDSA', { extractable: true });
    const ec = await generateKeyPair('ES256', { extractable: false });
    return { ed, ec, jwks: await buildJwks([ed.publicJwk, ec.publicJwk]) };
  }

  test('imports a published set by kid, as public verification keys', async () => {
    const { ed, ec, jwks } = await publishedSet();
    const keys = await importJwks(jwks);
    assert.deepEqual([...keys.keys()].sort(), [ed.kid, ec.kid].sort());
    assert.equal(keys.get(ed.kid)?.alg, 'EdDSA');
    assert.equal(keys.get(ec.kid)?.key.type, 'public');
    assert.deepEqual(keys.get(ec.kid)?.jwk, ec.publicJwk);
  });

  test('imports keys published without alg or use, deriving alg from the key type', async () => {
    const { ed } = await publishedSet();
    const { alg: _alg, use: _use, ...bare } = ed.publicJwk;
    assert.equal((await importJwks({ keys: [bare] })).get(ed.kid)?.alg, 'EdDSA');
  });

  test('imports a key whose key_ops include verify', async () => {
    const { ec } = await publishedSet();
    const keys = await importJwks({ keys: [{ ...ec.publicJwk, key_ops: ['verify'] }] });
    assert.equal(keys.get(ec.kid)?.alg, 'ES256');
  });

  describe('refuses the whole set when one key is poisoned', () => {
    const poisoned: Array<[string, (set: Awaited<ReturnType<typeof publishedSet>>) => Promise<unknown>]> = [
      ['a key with d', async ({ ed }) => ({ ...(await exportJWK(ed.privateKey)), kid: ed.kid, alg: 'EdDSA' })],
      ['an oct key', async () => ({ kty: 'oct', k: 'c2VjcmV0c2VjcmV0c2VjcmV0', kid: 'k', alg: 'HS256' })],
      ['a kid that is not the thumbprint', async ({ ed }) => ({ ...ed.publicJwk, kid: 'club-key-1' })],
      ["another key's kid", async ({ ed, ec }) => ({ ...ed.publicJwk, kid: ec.kid })],
      ['no kid', async ({ ed }) => ({ ...ed.publicJwk, kid: undefined })],
      ['the wrong alg', async ({ ed }) => ({ ...ed.publicJwk, alg: 'ES256' })],
      ['alg none', async ({ ed }) => ({ ...ed.publicJwk, alg: 'none' })],
      ['use: enc', async ({ ec }) => ({ ...ec.publicJwk, use: 'enc' })],
      ['key_ops without verify', async ({ ec }) => ({ ...ec.publicJwk, key_ops: ['encrypt'] })],
      ['key_ops that is not a list', async ({ ec }) => ({ ...ec.publicJwk, key_ops: 'verify' })],
      ['an X25519 key', async ({ ed }) => ({ ...ed.publicJwk, crv: 'X25519' })],
      ['not an object', async () => 'key'],
    ];
    for (const [what, make] of poisoned) {
      test(`one key is ${what}`, async () => {
        const set = await publishedSet();
        await rejectsWithCode(importJwks({ keys: [...set.jwks.keys, await make(set)] }), 'invalid_request');
      });
    }
  });

  test('refuses anything that is not { keys: [...] }', async () => {
    for (const value of [null, [], { keys: {} }, { key: [] }, 'keys']) {
      await rejectsWithCode(importJwks(value), 'invalid_request');
    }
  });
});
