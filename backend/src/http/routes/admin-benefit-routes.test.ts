import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedAffiliate } from '../../test-support/seed-catalog.js';
import { signInAdmin, signUpMember } from '../../test-support/test-accounts.js';
import { startTestBackend, TEST_NOW, type TestBackend } from '../../test-support/test-backend.js';
import { testDatabaseKinds } from '../../test-support/test-database.js';

const THIRTY_DAYS = 30 * 24 * 60 * 60;
let shop = 0;

for (const kind of testDatabaseKinds()) {
  describe(`admin benefits on ${kind}`, () => {
    let backend: TestBackend;
    let admin: string;
    let affiliateId: string;

    before(async () => {
      backend = await startTestBackend(kind);
      admin = await signInAdmin(backend);
      affiliateId = (await seedAffiliate(backend.database.db, { origins: [`https://shop${++shop}.example`] })).id;
    });
    after(() => backend.close());

    const valid = (overrides: Record<string, unknown> = {}) => ({
      affiliate_id: affiliateId,
      kind: 'product_discount',
      title: '10 % off',
      terms: { percent_off: 10 },
      price: { amount: 250, currency: 'EUR' },
      ...overrides,
    });
    const create = (body: unknown, token: string | undefined = admin) =>
      backend.request('POST', '/v1/admin/benefits', { body, ...(token ? { token } : {}) });
    const patch = (id: string, body: unknown) =>
      backend.request('PATCH', `/v1/admin/benefits/${id}`, { body, token: admin });
    const createOk = async (overrides: Record<string, unknown> = {}) => {
      const res = await create(valid(overrides));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body;
    };
    const expectInvalid = (res: Awaited<ReturnType<TestBackend['request']>>, path: string) => {
      assert.equal(res.status, 400, `${path}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'invalid_request');
      assert.ok(
        res.body.errors.some((e: { path: string }) => e.path === path),
        `expected an error at ${path}: ${JSON.stringify(res.body.errors)}`,
      );
    };

    test('without an admin session: 401 unauthorized', async () => {
      const { id } = await createOk();
      for (const [method, path] of [
        ['POST', '/v1/admin/benefits'],
        ['GET', `/v1/admin/benefits/${id}`],
        ['PATCH', `/v1/admin/benefits/${id}`],
      ] as const) {
        const res = await backend.request(method, path, method === 'GET' ? {} : { body: valid() });
        assert.equal(res.status, 401, `${method} ${path}`);
        assert.equal(res.body.code, 'unauthorized');
      }
    });

    test('price must be integer minor units with an upper-case currency', async () => {
      expectInvalid(await create(valid({ price: { amount: 2.5, currency: 'EUR' } })), 'price.amount');
      expectInvalid(await create(valid({ price: { amount: -1, currency: 'EUR' } })), 'price.amount');
      expectInvalid(await create(valid({ price: { amount: '250', currency: 'EUR' } })), 'price.amount');
      expectInvalid(await create(valid({ price: { amount: 250, currency: 'eur' } })), 'price.currency');
      expectInvalid(await create(valid({ price: 250 })), 'price');
      expectInvalid(await create(valid({ price: undefined })), 'price');
    });

    test('terms: percent_off 1..100 whole, amount_off Money above zero, known members only, not empty', async () => {
      for (const percent of [101, 0, -5, 10.5, '10']) {
        expectInvalid(await create(valid({ terms: { percent_off: percent } })), 'terms.percent_off');
      }
      expectInvalid(
        await create(valid({ terms: { amount_off: { amount: 1.5, currency: 'EUR' } } })),
        'terms.amount_off.amount',
      );
      expectInvalid(await create(valid({ terms: { amount_off: { amount: 0, currency: 'EUR' } } })), 'terms.amount_off');
      expectInvalid(await create(valid({ terms: { percent_off: 10, free_beer: true } })), 'terms.free_beer');
      expectInvalid(await create(valid({ terms: {} })), 'terms');
      expectInvalid(await create(valid({ terms: { description: '' } })), 'terms.description');
    });

    test('access_url: exclusive_access only, https or loopback http', async () => {
      expectInvalid(await create(valid({ terms: { access_url: 'https://shop.example/vip' } })), 'terms.access_url');
      for (const url of ['http://shop.example/vip', 'javascript:alert(1)', 'https://u:p@shop.example/vip', 'vip']) {
        expectInvalid(
          await create(valid({ kind: 'exclusive_access', terms: { access_url: url } })),
          'terms.access_url',
        );
      }
    });

    test('credential_ttl_seconds is a whole number from 1 to 31536000', async () => {
      for (const ttl of [0, -1, 31_536_001, 1.5, '3600']) {
        expectInvalid(await create(valid({ credential_ttl_seconds: ttl })), 'credential_ttl_seconds');
      }
    });

    test('requires: disclosable claims only, each once', async () => {
      expectInvalid(await create(valid({ requires: ['ssn'] })), 'requires.0');
      expectInvalid(await create(valid({ requires: ['email', 'password_hash'] })), 'requires.1');
      expectInvalid(await create(valid({ requires: ['email', 'email'] })), 'requires');
      expectInvalid(await create(valid({ requires: 'email' })), 'requires');
    });

    test('kind, title, times, limits and unknown fields', async () => {
      expectInvalid(await create(valid({ kind: 'bogus' })), 'kind');
      expectInvalid(await create(valid({ title: ' ' })), 'title');
      expectInvalid(await create(valid({ valid_until: '2026-12-31' })), 'valid_until');
      expectInvalid(await create(valid({ valid_from: '2026-13-01T00:00:00Z' })), 'valid_from');
      expectInvalid(await create(valid({ valid_from: 1764763200 })), 'valid_from');
      expectInvalid(
        await create(valid({ valid_from: '2027-01-01T00:00:00Z', valid_until: '2027-01-01T00:00:00Z' })),
        'valid_until',
      );
      expectInvalid(await create(valid({ per_member_limit: 0 })), 'per_member_limit');
      expectInvalid(await create(valid({ total_limit: 2.5 })), 'total_limit');
      expectInvalid(await create(valid({ issued_count: 0 })), 'issued_count');
      expectInvalid(await create(valid({ affiliate_id: undefined })), 'affiliate_id');
      expectInvalid(await create(valid({ affiliate_id: 'ben_AAAAAAAAAAAAAAAAAAAAAA' })), 'affiliate_id');
    });

    test('PATCH: bad input is 400, the affiliate cannot change, and the edit is checked as a whole', async () => {
      const { id } = await createOk({ valid_until: '2027-01-01T00:00:00Z' });
      expectInvalid(await patch(id, {}), 'body');
      expectInvalid(await patch(id, { affiliate_id: affiliateId }), 'affiliate_id');
      expectInvalid(await patch(id, { terms: { percent_off: 101 } }), 'terms.percent_off');
      expectInvalid(await patch(id, { active: 'no' }), 'active');
      expectInvalid(await patch(id, { valid_from: '2027-02-01T00:00:00Z' }), 'valid_until');
      expectInvalid(
        await patch(id, { kind: 'exclusive_access', terms: { access_url: 'http://x.example' } }),
        'terms.access_url',
      );
      const unchanged = await backend.request('GET', `/v1/admin/benefits/${id}`, { token: admin });
      assert.equal(unchanged.body.valid_from, null);
      assert.deepEqual(unchanged.body.terms, { percent_off: 10 });
    });

    test('unknown benefit or affiliate: 404 not_found', async () => {
      const created = await create(valid({ affiliate_id: 'aff_AAAAAAAAAAAAAAAAAAAAAA' }));
      assert.equal(created.status, 404);
      assert.equal(created.body.code, 'not_found');
      for (const res of [
        await backend.request('GET', '/v1/admin/benefits/ben_unknown', { token: admin }),
        await patch('ben_unknown', { active: false }),
      ]) {
        assert.equal(res.status, 404);
        assert.equal(res.body.code, 'not_found');
      }
    });

    test('POST creates a benefit with the defaults, times in UTC and money as integers', async () => {
      const res = await create(
        valid({ valid_from: '2026-12-04T01:00:00+01:00', description: 'In store and online', requires: ['address'] }),
      );
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.match(res.body.id, /^ben_[A-Za-z0-9_-]{22}$/);
      assert.equal(res.headers.get('location'), `/v1/admin/benefits/${res.body.id}`);
      assert.deepEqual(res.body, {
        id: res.body.id,
        affiliate_id: affiliateId,
        kind: 'product_discount',
        title: '10 % off',
        description: 'In store and online',
        terms: { percent_off: 10 },
        price: { amount: 250, currency: 'EUR' },
        credential_ttl_seconds: THIRTY_DAYS,
        valid_from: '2026-12-04T00:00:00Z',
        valid_until: null,
        per_member_limit: null,
        total_limit: null,
        requires: ['address'],
        active: true,
        issued_count: 0,
        created_at: '2026-12-03T12:00:00Z',
        updated_at: '2026-12-03T12:00:00Z',
      });
      const shown = await backend.request('GET', `/v1/admin/benefits/${res.body.id}`, { token: admin });
      assert.deepEqual(shown.body, { ...res.body, redeemed_count: 0 });
    });

    test('every kind and every term can be created', async () => {
      const exclusive = await createOk({
        kind: 'exclusive_access',
        terms: { access_url: 'https://shop.example/vip', description: 'Members lounge' },
        credential_ttl_seconds: 31_536_000,
        per_member_limit: 1,
        total_limit: 100,
        valid_until: '2027-12-31T23:59:59Z',
        requires: ['membership_number', 'given_name', 'family_name', 'email', 'phone_number', 'address'],
      });
      assert.equal(exclusive.terms.access_url, 'https://shop.example/vip');
      assert.equal(exclusive.credential_ttl_seconds, 31_536_000);
      for (const k of ['prize', 'service_discount', 'free_goods', 'free_services']) {
        const b = await createOk({ kind: k, terms: { amount_off: { amount: 500, currency: 'GBP' } } });
        assert.equal(b.kind, k);
        assert.deepEqual(b.terms.amount_off, { amount: 500, currency: 'GBP' });
      }
    });

    test('PATCH edits fields, null clears them, and active: false withdraws the benefit', async () => {
      const { id } = await createOk({ total_limit: 10, valid_until: '2027-01-01T00:00:00Z', description: 'x' });
      backend.clock.advance(60);
      try {
        const res = await patch(id, {
          title: '15 % off',
          terms: { percent_off: 15 },
          price: { amount: 300, currency: 'EUR' },
          total_limit: null,
          valid_until: null,
          description: null,
          active: false,
        });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.title, '15 % off');
        assert.deepEqual(res.body.terms, { percent_off: 15 });
        assert.deepEqual(res.body.price, { amount: 300, currency: 'EUR' });
        assert.equal(res.body.total_limit, null);
        assert.equal(res.body.valid_until, null);
        assert.equal(res.body.description, null);
        assert.equal(res.body.active, false);
        assert.equal(res.body.updated_at, '2026-12-03T12:01:00Z');
        assert.equal((await patch(id, { active: true })).body.active, true);
      } finally {
        backend.clock.set(TEST_NOW);
      }
    });

    test('PATCH never overwrites the issued count that issuance maintains; GET counts redemptions', async () => {
      const { id } = await createOk();
      const member = await signUpMember(backend);
      await backend.database.db.updateTable('benefits').set({ issued_count: 7 }).where('id', '=', id).execute();
      for (const [n, status] of [
        [1, 'redeemed'],
        [2, 'redeemed'],
        [3, 'issued'],
      ] as const) {
        await backend.database.db
          .insertInto('credentials')
          .values({
            id: `crd_test${n}${id}`,
            jti: `jti${n}${id}`,
            member_id: member.id,
            benefit_id: id,
            affiliate_id: affiliateId,
            holder_thumbprint: null,
            kid: 'kid',
            sub: 'sub',
            billing_ref: `bill${n}${id}`,
            credential: 'x',
            pin_hash: null,
            status,
            issued_at: TEST_NOW,
            expires_at: TEST_NOW,
            redeemed_at: null,
            revoked_at: null,
          })
          .execute();
      }
      const res = await patch(id, { title: 'Renamed' });
      assert.equal(res.body.issued_count, 7);
      const shown = await backend.request('GET', `/v1/admin/benefits/${id}`, { token: admin });
      assert.equal(shown.body.issued_count, 7);
      assert.equal(shown.body.redeemed_count, 2);
    });

    test('a member session: 403 forbidden', async () => {
      const { id } = await createOk();
      const member = await signUpMember(backend);
      for (const [method, path] of [
        ['POST', '/v1/admin/benefits'],
        ['GET', `/v1/admin/benefits/${id}`],
        ['PATCH', `/v1/admin/benefits/${id}`],
      ] as const) {
        const res = await backend.request(method, path, {
          ...(method === 'GET' ? {} : { body: { ...valid(), active: false } }),
          token: member.token,
        });
        assert.equal(res.status, 403, `${method} ${path}`);
        assert.equal(res.body.code, 'forbidden');
      }
      assert.equal((await backend.store.benefits.findById(id))?.active, true);
    });
  });
}
