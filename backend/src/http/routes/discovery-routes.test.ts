import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DIRECTORY_TYP, decodeBase64urlStrict, importJwks, RECEIPT_TYP, verifyClubJwt } from '@clubpass/shared';
import { manualClock } from '../../clock.js';
import { signInAdmin } from '../../test-support/test-accounts.js';
import { startTestBackend, TEST_ISSUER, TEST_NOW, type TestBackend } from '../../test-support/test-backend.js';
import { testDatabaseKinds } from '../../test-support/test-database.js';

const NOW_SECONDS = Date.parse(TEST_NOW) / 1000;
const PUBLIC_MEMBERS = { OKP: ['kty', 'crv', 'x'], EC: ['kty', 'crv', 'x', 'y'] } as const;

function maxAge(cacheControl: string | null): number {
  const match = /(?:^|,)\s*max-age=(\d+)\s*(?:,|$)/.exec(cacheControl ?? '');
  assert.ok(match, `Cache-Control "${cacheControl}" has a max-age`);
  return Number(match[1]);
}

function jwsHeader(token: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(decodeBase64urlStrict(token.split('.')[0] ?? '', 'invalid_request')));
}

for (const kind of testDatabaseKinds()) {
  describe(`discovery, JWKS and directory on ${kind}`, () => {
    let backend: TestBackend;

    before(async () => {
      backend = await startTestBackend(kind);
      const admin = await signInAdmin(backend);
      for (const [name, origins] of [
        ['Corner Coffee', ['https://coffee.example', 'http://127.0.0.1:3000']],
        ['Book Nook', ['https://books.example']],
      ] as const) {
        const res = await backend.request('POST', '/v1/admin/affiliates', {
          body: { name, origins, contact_email: 'private@partner.example', redeem_url: `${origins[0]}/r` },
          token: admin,
        });
        assert.equal(res.status, 201);
      }
    });
    after(() => backend.close());

    test('GET /.well-known/clubpass: every field of PROTOCOL.md §2, built from the issuer', async () => {
      const res = await backend.request('GET', '/.well-known/clubpass', { headers: { host: 'evil.example' } });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, {
        issuer: TEST_ISSUER,
        jwks_uri: `${TEST_ISSUER}/.well-known/jwks.json`,
        directory_uri: `${TEST_ISSUER}/v1/directory`,
        catalog_uri: `${TEST_ISSUER}/v1/catalog`,
        credential_endpoint: `${TEST_ISSUER}/v1/credentials`,
        nonce_endpoint: `${TEST_ISSUER}/v1/nonces`,
        verification_endpoint: `${TEST_ISSUER}/v1/verifications`,
        redemption_endpoint: `${TEST_ISSUER}/v1/redemptions`,
        invoice_endpoint: `${TEST_ISSUER}/v1/invoices`,
        snippet_uri: `${TEST_ISSUER}/snippet/v1.js`,
        signing_alg_values_supported: ['EdDSA', 'ES256'],
        credential_type: 'urn:clubpass:benefit:1',
      });
      assert.ok(maxAge(res.headers.get('cache-control')) <= 300);
    });

    test('GET /.well-known/jwks.json: public signing keys only, cacheable for at most 300 s', async () => {
      const res = await backend.request('GET', '/.well-known/jwks.json');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      const age = maxAge(res.headers.get('cache-control'));
      assert.ok(age > 0 && age <= 300, `max-age ${age}`);
      assert.ok(res.body.keys.length >= 1);
      for (const key of res.body.keys) {
        assert.ok(key.kty === 'OKP' || key.kty === 'EC', `kty ${key.kty}`);
        assert.equal(key.d, undefined, 'never a private member');
        const allowed = [...PUBLIC_MEMBERS[key.kty as 'OKP' | 'EC'], 'kid', 'alg', 'use'];
        assert.deepEqual(
          Object.keys(key).filter((m) => !allowed.includes(m)),
          [],
        );
        assert.equal(key.use, 'sig');
        assert.ok(key.alg === 'EdDSA' || key.alg === 'ES256');
      }
      // importJwks checks every kid is the RFC 7638 thumbprint.
      const trusted = await importJwks(res.body);
      assert.equal(trusted.size, res.body.keys.length);
      assert.ok(trusted.has((await backend.keyRing.current()).kid));
    });

    test('GET /v1/directory: a JWS of the club, typed, listing every affiliate’s id, name and origins', async () => {
      const res = await backend.request('GET', '/v1/directory');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/jwt/);
      assert.ok(maxAge(res.headers.get('cache-control')) <= 300);
      const token = res.body as string;
      assert.equal(typeof token, 'string');
      assert.equal(jwsHeader(token).typ, DIRECTORY_TYP);

      const keys = await importJwks((await backend.request('GET', '/.well-known/jwks.json')).body);
      const payload = await verifyClubJwt(token, {
        keys,
        typ: DIRECTORY_TYP,
        issuer: TEST_ISSUER,
        clock: backend.clock,
      });
      assert.equal(payload.iss, TEST_ISSUER);
      assert.equal(payload.iat, NOW_SECONDS);
      assert.equal(typeof payload.exp, 'number');
      const lifetime = (payload.exp as number) - NOW_SECONDS;
      assert.ok(lifetime > 0 && lifetime <= 24 * 3600, `exp is ${lifetime} s ahead`);
      const affiliates = payload.affiliates as { id: string; name: string; origins: string[] }[];
      assert.deepEqual(
        affiliates
          .map((a) => ({ name: a.name, origins: a.origins, keys: Object.keys(a).sort() }))
          .sort((x, y) => (x.name < y.name ? 1 : -1)),
        [
          {
            name: 'Corner Coffee',
            origins: ['https://coffee.example', 'http://127.0.0.1:3000'],
            keys: ['id', 'name', 'origins'],
          },
          { name: 'Book Nook', origins: ['https://books.example'], keys: ['id', 'name', 'origins'] },
        ],
      );
      assert.ok(!token.includes('private@partner'));
      assert.ok(!JSON.stringify(payload).includes('private@partner'), 'no contact details in the directory');
    });

    test('the directory is not valid as another kind of club statement, nor after it expires', async () => {
      const token = (await backend.request('GET', '/v1/directory')).body as string;
      const keys = await backend.keyRing.trusted();
      await assert.rejects(
        verifyClubJwt(token, { keys, typ: RECEIPT_TYP, issuer: TEST_ISSUER, clock: backend.clock }),
        {
          code: 'invalid_type',
        },
      );
      const payload = await verifyClubJwt(token, {
        keys,
        typ: DIRECTORY_TYP,
        issuer: TEST_ISSUER,
        clock: backend.clock,
      });
      const late = manualClock(new Date(((payload.exp as number) + 61) * 1000));
      await assert.rejects(verifyClubJwt(token, { keys, typ: DIRECTORY_TYP, issuer: TEST_ISSUER, clock: late }), {
        code: 'credential_expired',
      });
    });
  });
}
