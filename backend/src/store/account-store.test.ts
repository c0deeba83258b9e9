import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { ClubpassError } from '@clubpass/shared';
import { adminAccount, memberAccount } from '../test-support/account-fixtures.js';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '../test-support/test-database.js';
import type { Account } from './account-store.js';
import { decodeCursor } from './pagination.js';
import { createStore, type Store } from './store.js';

for (const kind of testDatabaseKinds()) {
  describe(`account store on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    beforeEach(async () => {
      database = await createTestDatabase(kind);
      store = createStore(database.db, database.kind);
    });
    afterEach(() => database.dispose());

    /** Reads every page of the member list, `limit` at a time. */
    async function allPages(limit: number): Promise<{ pages: Account[][]; cursors: (string | null)[] }> {
      const pages: Account[][] = [];
      const cursors: (string | null)[] = [];
      let after: { at: string; id: string } | null = null;
      for (;;) {
        const page = await store.accounts.list('member', { limit, after });
        pages.push(page.items);
        cursors.push(page.nextCursor);
        if (page.nextCursor === null) return { pages, cursors };
        after = decodeCursor(page.nextCursor);
        assert.ok(pages.length < 10, 'the pages never end');
      }
    }

    test('an inserted account is found by id, e-mail and membership number, with every field', async () => {
      const account = memberAccount({
        email: 'ann@example.com',
        phoneNumber: '+49 30 1234567',
        address: { street_address: 'Hauptstr. 1', locality: 'Berlin', postal_code: '10115', country: 'DE' },
      });
      assert.equal(await store.accounts.insert(account), true);
      assert.deepEqual(await store.accounts.findById(account.id), account);
      assert.deepEqual(await store.accounts.findByEmail('ann@example.com'), account);
      assert.deepEqual(await store.accounts.findByMembershipNumber(account.membershipNumber as string), account);
    });

    test('unknown ids, e-mails and numbers are null', async () => {
      await store.accounts.insert(memberAccount({ email: 'ann@example.com' }));
      assert.equal(await store.accounts.findById('mem_unknown'), null);
      assert.equal(await store.accounts.findByEmail('bob@example.com'), null);
      assert.equal(await store.accounts.findByMembershipNumber('CP-0000000000'), null);
    });

    test('a taken e-mail is refused with false and the first account is kept', async () => {
      const first = memberAccount({ email: 'ann@example.com', givenName: 'First' });
      assert.equal(await store.accounts.insert(first), true);
      assert.equal(
        await store.accounts.insert(memberAccount({ email: 'ann@example.com', givenName: 'Second' })),
        false,
      );
      assert.deepEqual(await store.accounts.findByEmail('ann@example.com'), first);
      assert.equal(await store.accounts.count('member'), 1);
    });

    test('a taken membership number is refused with false', async () => {
      const first = memberAccount({ membershipNumber: 'CP-7992739871' });
      assert.equal(await store.accounts.insert(first), true);
      assert.equal(await store.accounts.insert(memberAccount({ membershipNumber: 'CP-7992739871' })), false);
      assert.equal(await store.accounts.count('member'), 1);
    });

    test('several admins without membership numbers can exist', async () => {
      assert.equal(await store.accounts.insert(adminAccount()), true);
      assert.equal(await store.accounts.insert(adminAccount()), true);
      assert.equal(await store.accounts.count('admin'), 2);
      assert.equal(await store.accounts.count('member'), 0);
    });

    test('a database error that is not a duplicate is thrown, not reported as a taken address', async () => {
      const broken = memberAccount({ givenName: null as unknown as string });
      await assert.rejects(store.accounts.insert(broken));
      assert.equal(await store.accounts.count('member'), 0);
    });

    test('count is per role', async () => {
      for (let i = 0; i < 3; i++) await store.accounts.insert(memberAccount());
      await store.accounts.insert(adminAccount());
      assert.equal(await store.accounts.count('member'), 3);
      assert.equal(await store.accounts.count('admin'), 1);
    });

    test('five accounts created at the same instant page by two with no duplicates or gaps', async () => {
      const inserted: Account[] = [];
      for (let i = 0; i < 5; i++) {
        const account = memberAccount();
        await store.accounts.insert(account);
        inserted.push(account);
      }
      await store.accounts.insert(adminAccount()); // another role never shows up in the member list
      const { pages, cursors } = await allPages(2);
      assert.deepEqual(
        pages.map((p) => p.length),
        [2, 2, 1],
      );
      assert.equal(cursors[2], null);
      const ids = pages.flat().map((a) => a.id);
      assert.equal(new Set(ids).size, 5);
      // Newest first; ties on created_at are broken by id, descending.
      assert.deepEqual(
        ids,
        inserted.map((a) => a.id).sort((a, b) => (a < b ? 1 : -1)),
      );
    });

    test('pages follow created_at (newest first) and a row added between pages causes no duplicate', async () => {
      const times = [
        '2026-12-01T10:00:00.000Z',
        '2026-12-01T09:00:00.000Z',
        '2026-12-02T08:00:00.000Z',
        '2026-11-30T23:59:59.999Z',
        '2026-12-03T00:00:00.000Z',
      ];
      for (const createdAt of times) await store.accounts.insert(memberAccount({ createdAt }));
      const first = await store.accounts.list('member', { limit: 2, after: null });
      assert.ok(first.nextCursor);
      // A newer account arrives while the client is paging: it belongs before the cursor, so it is not repeated.
      await store.accounts.insert(memberAccount({ createdAt: '2026-12-04T00:00:00.000Z' }));
      const second = await store.accounts.list('member', { limit: 2, after: decodeCursor(first.nextCursor) });
      assert.ok(second.nextCursor);
      const third = await store.accounts.list('member', { limit: 2, after: decodeCursor(second.nextCursor) });
      assert.equal(third.nextCursor, null);
      assert.deepEqual(
        [...first.items, ...second.items, ...third.items].map((a) => a.createdAt),
        [...times].sort().reverse(),
      );
    });

    test('a page exactly as long as the rest has no next cursor', async () => {
      for (let i = 0; i < 4; i++) await store.accounts.insert(memberAccount());
      const { pages, cursors } = await allPages(2);
      assert.deepEqual(
        pages.map((p) => p.length),
        [2, 2],
      );
      assert.deepEqual(cursors.slice(1), [null]);
      const empty = await store.accounts.list('admin', { limit: 2, after: null });
      assert.deepEqual(empty, { items: [], nextCursor: null });
    });

    test('search finds by e-mail, e-mail prefix and membership number in any case', async () => {
      const ann = memberAccount({ email: 'ann@example.com', membershipNumber: 'CP-7992739871' });
      const anna = memberAccount({ email: 'anna@example.org' });
      const bob = memberAccount({ email: 'bob@example.com' });
      for (const a of [ann, anna, bob]) await store.accounts.insert(a);
      const ids = async (search: string) =>
        (await store.accounts.list('member', { limit: 10, after: null }, search)).items.map((a) => a.id).sort();
      assert.deepEqual(await ids(' ANN@example.com '), [ann.id]);
      assert.deepEqual(await ids('ann'), [ann.id, anna.id].sort());
      assert.deepEqual(await ids('cp-7992739871'), [ann.id]);
      assert.deepEqual(await ids('carol'), []);
      // LIKE wildcards in the search are not wildcards.
      assert.deepEqual(await ids('_nn'), []);
    });

    test('a cursor that was not made by the store is invalid_request', () => {
      for (const cursor of ['nope!', 'bm9wZQ', Buffer.from('["a"]').toString('base64url')]) {
        assert.throws(
          () => decodeCursor(cursor),
          (e: unknown) => e instanceof ClubpassError && e.code === 'invalid_request',
        );
      }
    });
  });
}
