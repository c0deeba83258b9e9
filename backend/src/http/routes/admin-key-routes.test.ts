import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DIRECTORY_TYP, importJwks, verifyClubJwt } from '@clubpass/shared';
import { MAX_CREDENTIAL_LIFETIME_SECONDS } from '../../keys/create-key-ring.js';
import { signInAdmin, signUpMember } from '../../test-support/test-accounts.js';
import { startTestBackend, TEST_ISSUER, TEST_NOW, type TestBackend } from '../../test-support/test-backend.js';
import { testDatabaseKinds } from '../../test-support/test-database.js';

for (const kind of testDatabaseKinds()) {
  describe(`signing key rotation on ${kind}`, () => {
    let backend: TestBackend;
    let admin: string;

    before(async () => {
      backend = await startTestBackend(kind);
      admin = await signInAdmin(backend);
    });
    after(() => backend.close());

    const jwks = async () =>
      (await backend.request('GET', '/.well-known/jwks.json')).body as { keys: { kid: string }[] };
    const kids = async () => (await jwks()).keys.map((k) => k.kid).sort();

    test('without an admin session: 401, and no key is rotated', async () => {
      const before = await kids();
      for (const [method, path] of [
        ['POST', '/v1/admin/keys/rotate'],
        ['GET', '/v1/admin/keys'],
      ] as const) {
        const res = await backend.request(method, path);
        assert.equal(res.status, 401, `${method} ${path}`);
        assert.equal(res.body.code, 'unauthorized');
      }
      assert.deepEqual(await kids(), before);
    });

    test('POST /v1/admin/keys/rotate: 201 the new public JWK; the old key stays published and verifying', async () => {
      const oldKid = (await backend.keyRing.current()).kid;
      const signedBefore = (await backend.request('GET', '/v1/directory')).body as string;

      backend.clock.advance(3600);
      const res = await backend.request('POST', '/v1/admin/keys/rotate', { token: admin });
      assert.equal(res.status, 201);
      const jwk = res.body;
      assert.notEqual(jwk.kid, oldKid);
      assert.equal(jwk.d, undefined, 'never the private key');
      assert.equal(jwk.use, 'sig');
      assert.equal(jwk.alg, 'EdDSA');
      assert.deepEqual(Object.keys(jwk).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x']);
      assert.equal((await backend.keyRing.current()).kid, jwk.kid);

      const published = await jwks();
      assert.deepEqual(published.keys.map((k) => k.kid).sort(), [oldKid, jwk.kid].sort());
      const keys = await importJwks(published);
      const options = { keys, typ: DIRECTORY_TYP, issuer: TEST_ISSUER, clock: backend.clock };
      // Signed by the retired key: still verifies against the published set.
      await verifyClubJwt(signedBefore, options);
      // Signed now: by the new key.
      const signedAfter = (await backend.request('GET', '/v1/directory')).body as string;
      await verifyClubJwt(signedAfter, options);
      const header = JSON.parse(Buffer.from(signedAfter.split('.')[0] ?? '', 'base64url').toString('utf8'));
      assert.equal(header.kid, jwk.kid);
    });

    test('GET /v1/admin/keys: every key’s lifecycle, never key material', async () => {
      const res = await backend.request('GET', '/v1/admin/keys', { token: admin });
      assert.equal(res.status, 200);
      assert.equal(res.body.next_cursor, null);
      const [current, retired] = res.body.data;
      assert.equal(res.body.data.length, 2);
      assert.deepEqual(current, {
        kid: (await backend.keyRing.current()).kid,
        alg: 'EdDSA',
        created_at: '2026-12-03T13:00:00Z',
        retired_at: null,
        publish_until: null,
        published: true,
      });
      const publishUntil = new Date(Date.parse('2026-12-03T13:00:00Z') + MAX_CREDENTIAL_LIFETIME_SECONDS * 1000);
      assert.equal(retired.retired_at, '2026-12-03T13:00:00Z');
      assert.equal(retired.publish_until, publishUntil.toISOString().replace('.000Z', 'Z'));
      assert.equal(retired.published, true);
      const text = JSON.stringify(res.body);
      for (const secret of ['"d"', 'sealed', 'private']) assert.ok(!text.includes(secret), secret);
    });

    test('a retired key leaves the JWKS once every credential it signed has expired', async () => {
      const listing = await backend.request('GET', '/v1/admin/keys', { token: admin });
      assert.equal(listing.status, 200, JSON.stringify(listing.body));
      const retiredKid = listing.body.data[1].kid;
      backend.clock.advance(MAX_CREDENTIAL_LIFETIME_SECONDS - 1);
      assert.ok((await kids()).includes(retiredKid));
      backend.clock.advance(1);
      assert.ok(!(await kids()).includes(retiredKid));
      // A year on, the earlier session has long expired: sign in again.
      const listed = await backend.request('GET', '/v1/admin/keys', { token: await signInAdmin(backend) });
      assert.equal(listed.body.data[1].published, false);
      backend.clock.set(TEST_NOW);
    });

    test('a member session: 403, and no key is rotated', async () => {
      const member = await signUpMember(backend);
      const before = (await backend.keyRing.current()).kid;
      for (const [method, path] of [
        ['POST', '/v1/admin/keys/rotate'],
        ['GET', '/v1/admin/keys'],
      ] as const) {
        const res = await backend.request(method, path, { token: member.token });
        assert.equal(res.status, 403, `${method} ${path}`);
        assert.equal(res.body.code, 'forbidden');
      }
      assert.equal((await backend.keyRing.current()).kid, before);
    });
  });
}
