import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import { secretDigest } from '../../secrets.js';
import { signInAdmin, signUpMember } from '../../test-support/test-accounts.js';
import { startTestBackend, TEST_NOW, type TestBackend } from '../../test-support/test-backend.js';
import { testDatabaseKinds } from '../../test-support/test-database.js';
import { affiliateOf, requireAffiliate } from '../auth.js';
import { errorHandler } from '../error-handler.js';

const API_KEY = /^cpk_[A-Za-z0-9_-]{43}$/;
let shop = 0;
/** A fresh origin per affiliate: one origin belongs to one affiliate only. */
const nextOrigin = () => `https://shop${++shop}.example`;
/** A JSON body for methods that carry one (fetch refuses a body on GET). */
const bodyFor = (method: string, body: unknown) => (method === 'POST' || method === 'PATCH' ? { body } : {});

/**
 * A stand-in affiliate endpoint for this test only: the real `requireAffiliate` guard over the
 * backend's store, on its own port, so key revocation is checked exactly as callbacks will see it.
 */
async function startAffiliateProbe(backend: TestBackend) {
  const app = express();
  app.get('/probe', requireAffiliate(backend.deps), (_req, res) => {
    res.json({ affiliate_id: affiliateOf(res).affiliateId });
  });
  app.use(errorHandler(backend.deps.logger));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/probe`;
  return {
    async call(key: string) {
      const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

for (const kind of testDatabaseKinds()) {
  describe(`admin affiliates and API keys on ${kind}`, () => {
    let backend: TestBackend;
    let admin: string;

    before(async () => {
      backend = await startTestBackend(kind);
      admin = await signInAdmin(backend);
    });
    after(() => backend.close());

    const create = (body: unknown, token: string | undefined = admin) =>
      backend.request('POST', '/v1/admin/affiliates', { body, ...(token ? { token } : {}) });
    const createOk = async (body: Record<string, unknown> = {}) => {
      const res = await create({ name: 'Example Shop', origins: [nextOrigin()], ...body });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body;
    };
    const expectInvalid = (res: Awaited<ReturnType<TestBackend['request']>>, path: string) => {
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.code, 'invalid_request');
      assert.ok(
        res.body.errors.some((e: { path: string }) => e.path === path),
        `expected an error at ${path}: ${JSON.stringify(res.body.errors)}`,
      );
    };

    test('without an admin session: 401 unauthorized on every endpoint', async () => {
      const { id, api_key_id: keyId, api_key: apiKey } = await createOk();
      const endpoints: [string, string][] = [
        ['POST', '/v1/admin/affiliates'],
        ['GET', `/v1/admin/affiliates/${id}`],
        ['PATCH', `/v1/admin/affiliates/${id}`],
        ['GET', `/v1/admin/affiliates/${id}/api-keys`],
        ['POST', `/v1/admin/affiliates/${id}/api-keys`],
        ['DELETE', `/v1/admin/affiliates/${id}/api-keys/${keyId}`],
      ];
      for (const [method, path] of endpoints) {
        // No token, an unknown session token, and an affiliate's own API key: none is an admin.
        for (const token of [undefined, 'cps_not-a-real-session-token', apiKey]) {
          const res = await backend.request(method, path, {
            ...bodyFor(method, { name: 'x' }),
            ...(token ? { token } : {}),
          });
          assert.equal(res.status, 401, `${method} ${path}`);
          assert.equal(res.body.code, 'unauthorized');
        }
      }
    });

    test('an origin must be https, or http on a loopback host: 400 invalid_request at origins.N', async () => {
      for (const origin of [
        'http://example.com',
        'http://shop.example:8080',
        'http://10.0.0.1',
        'ftp://shop.example',
      ]) {
        expectInvalid(await create({ name: 'Shop', origins: ['https://fine.example', origin] }), 'origins.1');
      }
    });

    test('an origin must be exact: no path, trailing slash, query, fragment, user info, upper case or default port', async () => {
      for (const origin of [
        'https://shop.example/path',
        'https://shop.example/',
        'https://shop.example?a=1',
        'https://shop.example#x',
        'https://user@shop.example',
        'https://Shop.example',
        'https://shop.example:443',
        'shop.example',
      ]) {
        expectInvalid(await create({ name: 'Shop', origins: [origin] }), 'origins.0');
      }
    });

    test('other bad input: 400 invalid_request with an error per field, never a 500', async () => {
      expectInvalid(await create({ name: 'Shop', origins: [] }), 'origins');
      expectInvalid(await create({ name: 'Shop', origins: ['https://a.example', 'https://a.example'] }), 'origins.1');
      expectInvalid(await create({ name: 'Shop', origins: 'https://a.example' }), 'origins');
      expectInvalid(await create({ origins: ['https://a.example'] }), 'name');
      expectInvalid(await create({ name: '  ', origins: ['https://a.example'] }), 'name');
      expectInvalid(
        await create({ name: 'Shop', origins: ['https://a.example'], contact_email: 'not-mail' }),
        'contact_email',
      );
      expectInvalid(await create({ name: 'Shop', origins: ['https://a.example'], admin: true }), 'admin');
      const several = await create({ origins: ['http://example.com'], contact_email: 'x' });
      assert.deepEqual(several.body.errors.map((e: { path: string }) => e.path).sort(), [
        'contact_email',
        'name',
        'origins.0',
      ]);
      for (const body of ['{"name": ', '[]', 'null', '"text"']) {
        const res = await backend.request('POST', '/v1/admin/affiliates', { body, token: admin });
        assert.equal(res.status, 400, body);
        assert.equal(res.body.code, 'invalid_request');
      }
    });

    test('redeem_url must lie on one of the origins and have no fragment: 400 at redeem_url', async () => {
      const origins = ['https://shop.example', 'http://127.0.0.1:3000'];
      for (const redeemUrl of [
        'https://evil.example/redeem',
        'https://shop.example.evil.example/redeem',
        'https://shop.example@evil.example/redeem',
        'http://shop.example/redeem',
        'https://shop.example/redeem#x',
        'javascript:alert(1)',
      ]) {
        expectInvalid(await create({ name: 'Shop', origins, redeem_url: redeemUrl }), 'redeem_url');
      }
    });

    test('PATCH: bad input is 400, an empty edit is 400, and the edit is checked as a whole', async () => {
      const origin = nextOrigin();
      const { id } = await createOk({ origins: [origin], redeem_url: `${origin}/redeem` });
      const patch = (body: unknown) => backend.request('PATCH', `/v1/admin/affiliates/${id}`, { body, token: admin });
      expectInvalid(await patch({}), 'body');
      expectInvalid(await patch({ origins: ['http://example.com'] }), 'origins.0');
      expectInvalid(await patch({ id: 'aff_x' }), 'id');
      // New origins would strand the stored redeem URL on an origin the affiliate no longer has.
      expectInvalid(await patch({ origins: [nextOrigin()] }), 'redeem_url');
      const unchanged = await backend.request('GET', `/v1/admin/affiliates/${id}`, { token: admin });
      assert.deepEqual(unchanged.body.origins, [origin]);
    });

    test('unknown affiliates and keys: 404 not_found', async () => {
      const { id } = await createOk();
      for (const [method, path] of [
        ['GET', '/v1/admin/affiliates/aff_unknown'],
        ['PATCH', '/v1/admin/affiliates/aff_unknown'],
        ['GET', '/v1/admin/affiliates/aff_unknown/api-keys'],
        ['POST', '/v1/admin/affiliates/aff_unknown/api-keys'],
        ['DELETE', `/v1/admin/affiliates/${id}/api-keys/key_unknown`],
      ] as const) {
        const res = await backend.request(method, path, { ...bodyFor(method, { name: 'New' }), token: admin });
        assert.equal(res.status, 404, `${method} ${path}`);
        assert.equal(res.body.code, 'not_found');
      }
    });

    test('an origin registered to another affiliate: 409 conflict, on create and on edit', async () => {
      const taken = nextOrigin();
      await createOk({ origins: [taken] });
      const res = await create({ name: 'Copycat', origins: [nextOrigin(), taken] });
      assert.equal(res.status, 409);
      assert.equal(res.body.code, 'conflict');
      assert.equal(res.body.errors[0].path, 'origins.1');
      const other = await createOk();
      const edit = await backend.request('PATCH', `/v1/admin/affiliates/${other.id}`, {
        body: { origins: [taken] },
        token: admin,
      });
      assert.equal(edit.status, 409);
    });

    test('POST creates the affiliate with its first API key, shown once and never cached', async () => {
      const origins = ['https://coffee.example', 'http://127.0.0.1:3000', 'http://localhost:5173', 'http://[::1]:8080'];
      const res = await create({
        name: '  Corner Coffee ',
        origins,
        redeem_url: 'https://coffee.example/clubpass?from=club',
        contact_email: 'Partners@Coffee.example',
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.match(res.body.id, /^aff_[A-Za-z0-9_-]{22}$/);
      assert.match(res.body.api_key, API_KEY);
      assert.match(res.body.api_key_id, /^key_/);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal(res.headers.get('location'), `/v1/admin/affiliates/${res.body.id}`);
      assert.deepEqual(
        { ...res.body, api_key: undefined, api_key_id: undefined },
        {
          id: res.body.id,
          name: 'Corner Coffee',
          origins,
          redeem_url: 'https://coffee.example/clubpass?from=club',
          contact_email: 'partners@coffee.example',
          created_at: '2026-12-03T12:00:00Z',
          updated_at: '2026-12-03T12:00:00Z',
          api_key: undefined,
          api_key_id: undefined,
        },
      );

      const shown = await backend.request('GET', `/v1/admin/affiliates/${res.body.id}`, { token: admin });
      assert.equal(shown.status, 200);
      assert.equal(shown.body.api_key, undefined);
      assert.deepEqual(shown.body.origins, origins);
    });

    test('API keys are stored as digests only and listed without the key', async () => {
      const { id, api_key: first, api_key_id: firstId } = await createOk();
      const second = await backend.request('POST', `/v1/admin/affiliates/${id}/api-keys`, { token: admin });
      assert.equal(second.status, 201);
      assert.equal(second.headers.get('cache-control'), 'no-store');
      assert.match(second.body.api_key, API_KEY);
      assert.notEqual(second.body.api_key, first);

      const listed = await backend.request('GET', `/v1/admin/affiliates/${id}/api-keys`, { token: admin });
      assert.equal(listed.status, 200);
      assert.deepEqual(new Set(listed.body.data.map((k: { id: string }) => k.id)), new Set([firstId, second.body.id]));
      for (const key of listed.body.data) {
        assert.deepEqual(Object.keys(key).sort(), ['created_at', 'id', 'prefix', 'revoked_at']);
        assert.equal(key.revoked_at, null);
        assert.equal(key.prefix.length, 12);
      }
      const text = JSON.stringify(listed.body);
      assert.ok(!text.includes(first) && !text.includes(second.body.api_key), 'a listing never shows a key');
      assert.ok(!text.includes(secretDigest(first)), 'nor its digest');

      const rows = await backend.database.db
        .selectFrom('api_keys')
        .selectAll()
        .where('affiliate_id', '=', id)
        .execute();
      assert.equal(rows.length, 2);
      for (const row of rows) {
        const secret = row.id === firstId ? first : second.body.api_key;
        assert.equal(row.digest, secretDigest(secret));
        assert.ok(!Object.values(row).includes(secret), 'the key itself is never stored');
        assert.ok(secret.startsWith(row.prefix));
      }
    });

    test('a revoked key stops working at once; the affiliate’s other keys keep working', async () => {
      const probe = await startAffiliateProbe(backend);
      try {
        const { id, api_key: oldKey, api_key_id: oldId } = await createOk();
        const fresh = await backend.request('POST', `/v1/admin/affiliates/${id}/api-keys`, { token: admin });
        assert.deepEqual(await probe.call(oldKey), { status: 200, body: { affiliate_id: id } });
        assert.deepEqual(await backend.store.affiliates.findApiKeyOwner(secretDigest(oldKey)), {
          keyId: oldId,
          affiliateId: id,
        });

        const revoked = await backend.request('DELETE', `/v1/admin/affiliates/${id}/api-keys/${oldId}`, {
          token: admin,
        });
        assert.equal(revoked.status, 204);
        assert.equal(await backend.store.affiliates.findApiKeyOwner(secretDigest(oldKey)), null);
        const refused = await probe.call(oldKey);
        assert.equal(refused.status, 401);
        assert.equal(refused.body.code, 'unauthorized');
        assert.deepEqual(await probe.call(fresh.body.api_key), { status: 200, body: { affiliate_id: id } });

        // Revoking again changes nothing and keeps the first revocation time.
        backend.clock.advance(60);
        const again = await backend.request('DELETE', `/v1/admin/affiliates/${id}/api-keys/${oldId}`, {
          token: admin,
        });
        assert.equal(again.status, 204);
        const listed = await backend.request('GET', `/v1/admin/affiliates/${id}/api-keys`, { token: admin });
        const old = listed.body.data.find((k: { id: string }) => k.id === oldId);
        assert.equal(old.revoked_at, '2026-12-03T12:00:00Z');
      } finally {
        backend.clock.set(TEST_NOW);
        await probe.close();
      }
    });

    test('a key cannot be revoked through another affiliate’s URL: 404, and it keeps working', async () => {
      const probe = await startAffiliateProbe(backend);
      try {
        const victim = await createOk();
        const other = await createOk();
        const res = await backend.request('DELETE', `/v1/admin/affiliates/${other.id}/api-keys/${victim.api_key_id}`, {
          token: admin,
        });
        assert.equal(res.status, 404);
        assert.equal((await probe.call(victim.api_key)).status, 200);
      } finally {
        await probe.close();
      }
    });

    test('PATCH edits name, origins, redeem URL and contact; null clears the optional ones', async () => {
      const origin = nextOrigin();
      const { id } = await createOk({ origins: [origin], contact_email: 'a@shop.example' });
      backend.clock.advance(3600);
      try {
        const moved = nextOrigin();
        const res = await backend.request('PATCH', `/v1/admin/affiliates/${id}`, {
          body: { name: 'Renamed', origins: [origin, moved], redeem_url: `${moved}/r`, contact_email: null },
          token: admin,
        });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.name, 'Renamed');
        assert.deepEqual(res.body.origins, [origin, moved]);
        assert.equal(res.body.redeem_url, `${moved}/r`);
        assert.equal(res.body.contact_email, null);
        assert.equal(res.body.created_at, '2026-12-03T12:00:00Z');
        assert.equal(res.body.updated_at, '2026-12-03T13:00:00Z');
        const cleared = await backend.request('PATCH', `/v1/admin/affiliates/${id}`, {
          body: { redeem_url: null, origins: [moved] },
          token: admin,
        });
        assert.equal(cleared.status, 200);
        assert.equal(cleared.body.redeem_url, null);
        assert.deepEqual((await backend.store.affiliates.findById(id))?.origins, [moved]);
      } finally {
        backend.clock.set(TEST_NOW);
      }
    });

    test('a member session: 403 forbidden on every endpoint', async () => {
      const { id, api_key_id: keyId } = await createOk();
      const member = await signUpMember(backend);
      for (const [method, path] of [
        ['POST', '/v1/admin/affiliates'],
        ['GET', `/v1/admin/affiliates/${id}`],
        ['PATCH', `/v1/admin/affiliates/${id}`],
        ['GET', `/v1/admin/affiliates/${id}/api-keys`],
        ['POST', `/v1/admin/affiliates/${id}/api-keys`],
        ['DELETE', `/v1/admin/affiliates/${id}/api-keys/${keyId}`],
      ] as const) {
        const res = await backend.request(method, path, {
          ...bodyFor(method, { name: 'Mine now', origins: ['https://member.example'] }),
          token: member.token,
        });
        assert.equal(res.status, 403, `${method} ${path}`);
        assert.equal(res.body.code, 'forbidden');
      }
      assert.equal((await backend.store.affiliates.listApiKeys(id))[0]?.revokedAt, null);
    });
  });
}
