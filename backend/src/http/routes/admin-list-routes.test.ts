import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedAffiliate, seedBenefit } from '../../test-support/seed-catalog.js';
import { signInAdmin, signUpMember, type TestMember } from '../../test-support/test-accounts.js';
import { startTestBackend, type TestBackend } from '../../test-support/test-backend.js';
import { testDatabaseKinds } from '../../test-support/test-database.js';

const LISTS = ['/v1/admin/members', '/v1/admin/affiliates', '/v1/admin/benefits'];

for (const kind of testDatabaseKinds()) {
  describe(`admin lists on ${kind}`, () => {
    let backend: TestBackend;
    let admin: string;
    let members: TestMember[];
    let affiliates: string[];
    let benefitsOfFirst: string[];

    before(async () => {
      backend = await startTestBackend(kind);
      admin = await signInAdmin(backend);
      members = [];
      for (let i = 0; i < 3; i++) {
        backend.clock.advance(1); // distinct creation times: newest first is then well defined
        members.push(await signUpMember(backend));
      }
      affiliates = [];
      for (let i = 0; i < 3; i++) {
        backend.clock.advance(1);
        const res = await backend.request('POST', '/v1/admin/affiliates', {
          body: { name: `Shop ${i}`, origins: [`https://list${i}.example`] },
          token: admin,
        });
        assert.equal(res.status, 201);
        affiliates.push(res.body.id);
      }
      benefitsOfFirst = [];
      for (let i = 0; i < 2; i++)
        benefitsOfFirst.push((await seedBenefit(backend.database.db, affiliates[0] as string)).id);
      const other = await seedAffiliate(backend.database.db, { origins: ['https://other.example'] });
      await seedBenefit(backend.database.db, other.id);
    });
    after(() => backend.close());

    const get = (path: string, token: string | null = admin) => backend.request('GET', path, token ? { token } : {});
    const walk = async (path: string, limit: number) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 20; page++) {
        const sep = path.includes('?') ? '&' : '?';
        const res = await get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.ok(res.body.data.length <= limit);
        ids.push(...res.body.data.map((x: { id: string }) => x.id));
        cursor = res.body.next_cursor;
        if (cursor === null) return ids;
      }
      assert.fail('the cursor never ran out');
    };

    test('without an admin session: 401 unauthorized', async () => {
      for (const path of LISTS) {
        const res = await get(path, null);
        assert.equal(res.status, 401, path);
        assert.equal(res.body.code, 'unauthorized');
      }
    });

    test('bad paging or filters: 400 invalid_request', async () => {
      for (const path of LISTS) {
        for (const query of ['?limit=0', '?limit=201', '?limit=x', '?cursor=not-a-cursor']) {
          const res = await get(`${path}${query}`);
          assert.equal(res.status, 400, `${path}${query}`);
          assert.equal(res.body.code, 'invalid_request');
        }
      }
      for (const query of [`?q=${'a'.repeat(255)}`, '?q=a&q=b']) {
        assert.equal((await get(`/v1/admin/members${query}`)).status, 400, query);
      }
      assert.equal((await get('/v1/admin/benefits?affiliate_id=')).status, 400);
      assert.equal((await get('/v1/admin/benefits?affiliate_id=shop')).status, 400);
    });

    test('GET /v1/admin/members: members only, newest first, paginated, without password hashes', async () => {
      const ids = await walk('/v1/admin/members', 2);
      assert.deepEqual(ids, members.map((m) => m.id).reverse());
      const res = await get('/v1/admin/members');
      for (const m of res.body.data) {
        assert.match(m.id, /^mem_/);
        assert.match(m.membership_number, /^CP-\d{10}$/);
        assert.ok(!JSON.stringify(m).includes('scrypt'));
        assert.equal(m.password_hash, undefined);
      }
    });

    test('GET /v1/admin/members?q= finds by e-mail, its beginning, or membership number', async () => {
      const [first, second] = members as [TestMember, TestMember];
      const ids = async (q: string) =>
        (await get(`/v1/admin/members?q=${encodeURIComponent(q)}`)).body.data.map((m: { id: string }) => m.id);
      assert.deepEqual(await ids(first.email), [first.id]);
      assert.deepEqual(await ids(first.email.toUpperCase()), [first.id]);
      assert.deepEqual(await ids(second.membershipNumber), [second.id]);
      assert.deepEqual(await ids(second.membershipNumber.toLowerCase()), [second.id]);
      assert.deepEqual((await ids('member-')).length, 3);
      assert.deepEqual(await ids('nobody@example.org'), []);
    });

    test('GET /v1/admin/affiliates: newest first, paginated, never an API key', async () => {
      const ids = await walk('/v1/admin/affiliates', 2);
      assert.deepEqual(ids.slice(0, 3), [...affiliates].reverse());
      const res = await get('/v1/admin/affiliates');
      const text = JSON.stringify(res.body);
      assert.ok(!text.includes('cpk_'), 'no API key');
      assert.equal(res.body.data[0].name, 'Shop 2');
    });

    test('GET /v1/admin/benefits: all benefits, or one affiliate’s with ?affiliate_id=', async () => {
      assert.equal((await walk('/v1/admin/benefits', 1)).length, 3);
      assert.deepEqual(
        new Set(await walk(`/v1/admin/benefits?affiliate_id=${affiliates[0]}`, 1)),
        new Set(benefitsOfFirst),
      );
      assert.deepEqual(await walk('/v1/admin/benefits?affiliate_id=aff_AAAAAAAAAAAAAAAAAAAAAA', 5), []);
      const res = await get('/v1/admin/benefits');
      assert.deepEqual(res.body.data[0].price, { amount: 250, currency: 'EUR' });
    });

    test('a member session: 403 forbidden', async () => {
      for (const path of LISTS) {
        const res = await get(path, (members[0] as TestMember).token);
        assert.equal(res.status, 403, path);
        assert.equal(res.body.code, 'forbidden');
      }
    });
  });
}
