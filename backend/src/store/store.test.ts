import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { memberAccount } from '../test-support/account-fixtures.js';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '../test-support/test-database.js';
import { createStore, type Store } from './store.js';

const NOW = '2026-12-03T12:00:00.000Z';

for (const kind of testDatabaseKinds()) {
  describe(`store transactions on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    beforeEach(async () => {
      database = await createTestDatabase(kind);
      store = createStore(database.db, database.kind);
    });
    afterEach(() => database.dispose());

    async function rowCounts() {
      const accounts = await store.accounts.count('member');
      const sessions = await database.db.selectFrom('sessions').select('token_digest').execute();
      const failures = await store.sessions.failuresSince('ip:127.0.0.1', '2000-01-01T00:00:00.000Z');
      return { accounts, sessions: sessions.length, failures: failures.count };
    }

    test('a throw inside a transaction writes nothing, in any area, and the error comes out unchanged', async () => {
      const boom = new Error('boom');
      const account = memberAccount();
      await assert.rejects(
        store.transaction(async (tx) => {
          assert.equal(tx.kind, kind);
          assert.equal(await tx.accounts.insert(account), true);
          await tx.sessions.insert({
            tokenDigest: 'd'.repeat(64),
            accountId: account.id,
            role: 'member',
            kind: 'bearer',
            csrfToken: null,
            createdAt: NOW,
            expiresAt: '2026-12-04T00:00:00.000Z',
          });
          await tx.sessions.recordFailure('lfl_tx', 'ip:127.0.0.1', NOW);
          // Inside, the transaction sees its own writes.
          assert.ok(await tx.accounts.findById(account.id));
          throw boom;
        }),
        (error) => error === boom,
      );
      assert.deepEqual(await rowCounts(), { accounts: 0, sessions: 0, failures: 0 });
      assert.equal(await store.accounts.findById(account.id), null);
    });

    test('a transaction that resolves commits every write and returns its value', async () => {
      const account = memberAccount();
      const result = await store.transaction(async (tx) => {
        await tx.accounts.insert(account);
        await tx.sessions.recordFailure('lfl_tx', 'ip:127.0.0.1', NOW);
        return 'done';
      });
      assert.equal(result, 'done');
      assert.deepEqual(await rowCounts(), { accounts: 1, sessions: 0, failures: 1 });
    });

    test('a transaction opened inside a transaction joins it, so an inner throw undoes the outer writes', async () => {
      const outer = memberAccount();
      const inner = memberAccount();
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.accounts.insert(outer);
          await tx.transaction(async (nested) => {
            await nested.accounts.insert(inner);
          });
          throw new Error('after the nested transaction');
        }),
        /after the nested transaction/,
      );
      assert.equal(await store.accounts.count('member'), 0);
    });

    test('a taken e-mail inside a transaction is false, and the transaction can go on and commit', async () => {
      await store.accounts.insert(memberAccount({ email: 'ann@example.com' }));
      const other = memberAccount();
      await store.transaction(async (tx) => {
        assert.equal(await tx.accounts.insert(memberAccount({ email: 'ann@example.com' })), false);
        assert.equal(await tx.accounts.insert(other), true);
      });
      assert.ok(await store.accounts.findById(other.id));
      assert.equal(await store.accounts.count('member'), 2);
    });
  });
}
