import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { seedAffiliate, seedBenefit } from '../../test-support/seed-catalog.js';
import { signInAdmin, signUpMember } from '../../test-support/test-accounts.js';
import { startTestBackend, TEST_NOW, type TestBackend } from '../../test-support/test-backend.js';
import { testDatabaseKinds } from '../../test-support/test-database.js';

const at = (offsetSeconds: number) => new Date(Date.parse(TEST_NOW) + offsetSeconds * 1000).toISOString();

for (const kind of testDatabaseKinds()) {
  describe(`GET /v1/catalog on ${kind}`, () => {
    let backend: TestBackend;
    let admin: string;

    before(async () => {
      backend = await startTestBackend(kind);
      admin = await signInAdmin(backend);
    });
    after(() => backend.close());
    beforeEach(() => backend.clock.set(TEST_NOW));

    const catalogIds = async (query = '') => {
      const res = await backend.request('GET', `/v1/catalog${query}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.data.map((b: { id: string }) => b.id) as string[];
    };

    test('a bad limit or cursor: 400 invalid_request, never a 500', async () => {
      for (const query of ['?limit=0', '?limit=201', '?limit=ten', '?limit=1.5', '?cursor=%00', '?cursor=bm9wZQ']) {
        const res = await backend.request('GET', `/v1/catalog${query}`);
        assert.equal(res.status, 400, query);
        assert.equal(res.body.code, 'invalid_request');
        assert.ok(res.body.errors.length > 0);
      }
    });

    test('lists only benefits on offer now: active, valid_from ≤ now < valid_until', async () => {
      const affiliate = await seedAffiliate(backend.database.db, {
        name: 'Window Shop',
        origins: ['https://window.example', 'http://127.0.0.1:3000'],
      });
      const seed = (s: Parameters<typeof seedBenefit>[2]) => seedBenefit(backend.database.db, affiliate.id, s);
      const open = await seed({});
      const started = await seed({ validFrom: TEST_NOW });
      const endsInOneSecond = await seed({ validUntil: at(1) });
      const inactive = await seed({ active: false });
      const endedNow = await seed({ validUntil: TEST_NOW });
      const expired = await seed({ validUntil: at(-3600) });
      const notYet = await seed({ validFrom: at(1) });
      const inactiveInWindow = await seed({ active: false, validFrom: at(-60), validUntil: at(60) });

      const listed = new Set(await catalogIds());
      for (const shown of [open, started, endsInOneSecond]) assert.ok(listed.has(shown.id), shown.title);
      for (const hidden of [inactive, endedNow, expired, notYet, inactiveInWindow]) {
        assert.ok(!listed.has(hidden.id), `${hidden.id} must not be listed`);
      }

      // The window is judged at the request's time, by the backend's clock.
      backend.clock.advance(1);
      const later = new Set(await catalogIds());
      assert.ok(later.has(notYet.id), 'on offer from valid_from');
      assert.ok(!later.has(endsInOneSecond.id), 'off offer at valid_until');
    });

    test('withdrawing a benefit (active: false) takes it out at once; reactivating brings it back', async () => {
      const affiliate = await seedAffiliate(backend.database.db, { origins: ['https://withdraw.example'] });
      const { id } = await seedBenefit(backend.database.db, affiliate.id);
      assert.ok((await catalogIds()).includes(id));
      const off = await backend.request('PATCH', `/v1/admin/benefits/${id}`, { body: { active: false }, token: admin });
      assert.equal(off.status, 200);
      assert.ok(!(await catalogIds()).includes(id));
      await backend.request('PATCH', `/v1/admin/benefits/${id}`, { body: { active: true }, token: admin });
      assert.ok((await catalogIds()).includes(id));
    });

    test('an entry shows what members may see, never the price, limits or counts', async () => {
      const affiliate = await seedAffiliate(backend.database.db, {
        name: 'Corner Coffee',
        origins: ['https://coffee.example', 'http://localhost:5173'],
      });
      const created = await backend.request('POST', '/v1/admin/benefits', {
        body: {
          affiliate_id: affiliate.id,
          kind: 'free_goods',
          title: 'A free coffee',
          description: 'Any size',
          terms: { description: 'one drink' },
          price: { amount: 180, currency: 'EUR' },
          valid_until: '2027-06-30T22:00:00+00:00',
          per_member_limit: 1,
          total_limit: 500,
          requires: ['membership_number'],
        },
        token: admin,
      });
      assert.equal(created.status, 201);
      const res = await backend.request('GET', '/v1/catalog?limit=200');
      const entry = res.body.data.find((b: { id: string }) => b.id === created.body.id);
      assert.deepEqual(entry, {
        id: created.body.id,
        affiliate: {
          id: affiliate.id,
          name: 'Corner Coffee',
          origins: ['https://coffee.example', 'http://localhost:5173'],
        },
        kind: 'free_goods',
        title: 'A free coffee',
        description: 'Any size',
        terms: { description: 'one drink' },
        valid_until: '2027-06-30T22:00:00Z',
        requires: ['membership_number'],
      });
    });

    test('is public: no session needed, and a member session works too', async () => {
      const member = await signUpMember(backend);
      assert.equal((await backend.request('GET', '/v1/catalog')).status, 200);
      assert.equal((await backend.request('GET', '/v1/catalog', { token: member.token })).status, 200);
    });
  });

  describe(`GET /v1/catalog paging on ${kind}`, () => {
    let backend: TestBackend;
    let expected: string[];

    before(async () => {
      backend = await startTestBackend(kind);
      const admin = await signInAdmin(backend);
      const affiliate = await seedAffiliate(backend.database.db, { origins: ['https://pages.example'] });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        // One second apart, through the admin API, so creation times differ.
        backend.clock.advance(1);
        const res = await backend.request('POST', '/v1/admin/benefits', {
          body: {
            affiliate_id: affiliate.id,
            kind: 'prize',
            title: `Prize ${i}`,
            terms: { description: `prize ${i}` },
            price: { amount: 0, currency: 'EUR' },
          },
          token: admin,
        });
        assert.equal(res.status, 201);
        ids.push(res.body.id);
      }
      // Two that tie on creation time, to check the id breaks ties without skipping either.
      const tied = [
        await seedBenefit(backend.database.db, affiliate.id),
        await seedBenefit(backend.database.db, affiliate.id),
      ].map((b) => b.id);
      await seedBenefit(backend.database.db, affiliate.id, { active: false });
      expected = [...ids.reverse(), ...tied];
    });
    after(() => backend.close());

    test('walks every benefit on offer once, newest first, following next_cursor', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await backend.request('GET', `/v1/catalog${query}`);
        assert.equal(res.status, 200);
        assert.ok(res.body.data.length <= 2);
        seen.push(...res.body.data.map((b: { id: string }) => b.id));
        cursor = res.body.next_cursor;
        pages += 1;
      } while (cursor !== null && pages < 10);
      // Newest first by creation time; the order among equal times is the engine's (collation),
      // so only the set of the tied ones is compared.
      assert.deepEqual(seen.slice(0, 5), expected.slice(0, 5));
      assert.deepEqual(new Set(seen.slice(5)), new Set(expected.slice(5)));
      assert.equal(seen.length, expected.length);
      assert.equal(pages, 4);
    });

    test('the default page holds everything here, with next_cursor null', async () => {
      const res = await backend.request('GET', '/v1/catalog');
      assert.equal(res.body.data.length, expected.length);
      assert.equal(res.body.next_cursor, null);
    });
  });
}
