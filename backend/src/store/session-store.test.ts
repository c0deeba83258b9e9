import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { memberAccount } from '../test-support/account-fixtures.js';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '../test-support/test-database.js';
import type { Session } from './session-store.js';
import { createStore, type Store } from './store.js';

const CREATED = '2026-12-03T12:00:00.000Z';
const EXPIRES = '2026-12-04T00:00:00.000Z';

for (const kind of testDatabaseKinds()) {
  describe(`session store on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    let accountId: string;
    beforeEach(async () => {
      database = await createTestDatabase(kind);
      store = createStore(database.db, database.kind);
      const account = memberAccount();
      await store.accounts.insert(account);
      accountId = account.id;
    });
    afterEach(() => database.dispose());

    function session(overrides: Partial<Session> = {}): Session {
      return {
        tokenDigest: 'a'.repeat(64),
        accountId,
        role: 'member',
        kind: 'bearer',
        csrfToken: null,
        createdAt: CREATED,
        expiresAt: EXPIRES,
        ...overrides,
      };
    }

    test('findActive returns the session until it expires, and not from the moment it does', async () => {
      const s = session();
      await store.sessions.insert(s);
      assert.deepEqual(await store.sessions.findActive(s.tokenDigest, CREATED), s);
      assert.deepEqual(await store.sessions.findActive(s.tokenDigest, '2026-12-03T23:59:59.999Z'), s);
      assert.equal(await store.sessions.findActive(s.tokenDigest, EXPIRES), null);
      assert.equal(await store.sessions.findActive(s.tokenDigest, '2026-12-05T00:00:00.000Z'), null);
    });

    test('an unknown digest finds nothing', async () => {
      await store.sessions.insert(session());
      assert.equal(await store.sessions.findActive('b'.repeat(64), CREATED), null);
    });

    test('a cookie session keeps its CSRF token', async () => {
      const s = session({ kind: 'cookie', csrfToken: 'csrf-token-value' });
      await store.sessions.insert(s);
      assert.deepEqual(await store.sessions.findActive(s.tokenDigest, CREATED), s);
    });

    test('delete ends one session and leaves the others', async () => {
      await store.sessions.insert(session({ tokenDigest: '1'.repeat(64) }));
      await store.sessions.insert(session({ tokenDigest: '2'.repeat(64) }));
      await store.sessions.delete('1'.repeat(64));
      assert.equal(await store.sessions.findActive('1'.repeat(64), CREATED), null);
      assert.ok(await store.sessions.findActive('2'.repeat(64), CREATED));
    });

    test('deleteExpired removes exactly the sessions expired at now', async () => {
      await store.sessions.insert(session({ tokenDigest: '1'.repeat(64), expiresAt: '2026-12-03T13:00:00.000Z' }));
      await store.sessions.insert(session({ tokenDigest: '2'.repeat(64), expiresAt: '2026-12-03T14:00:00.000Z' }));
      await store.sessions.insert(session({ tokenDigest: '3'.repeat(64), expiresAt: '2026-12-03T15:00:00.000Z' }));
      assert.equal(await store.sessions.deleteExpired('2026-12-03T14:00:00.000Z'), 2);
      const left = await database.db.selectFrom('sessions').select('token_digest').execute();
      assert.deepEqual(
        left.map((r) => r.token_digest),
        ['3'.repeat(64)],
      );
      assert.equal(await store.sessions.deleteExpired('2026-12-03T14:00:00.000Z'), 0);
    });

    test('failuresSince counts one subject inside the window and reports the oldest', async () => {
      const subject = 'email:ann@example.com';
      await store.sessions.recordFailure('lfl_1', subject, '2026-12-03T11:40:00.000Z');
      await store.sessions.recordFailure('lfl_2', subject, '2026-12-03T11:50:00.000Z');
      await store.sessions.recordFailure('lfl_3', subject, '2026-12-03T11:55:00.000Z');
      await store.sessions.recordFailure('lfl_4', 'email:bob@example.com', '2026-12-03T11:55:00.000Z');
      await store.sessions.recordFailure('lfl_5', 'ip:127.0.0.1', '2026-12-03T11:55:00.000Z');
      assert.deepEqual(await store.sessions.failuresSince(subject, '2026-12-03T11:45:00.000Z'), {
        count: 2,
        oldest: '2026-12-03T11:50:00.000Z',
      });
      // A failure leaves the window at exactly its time plus the window: `since` itself is outside.
      assert.deepEqual(await store.sessions.failuresSince(subject, '2026-12-03T11:50:00.000Z'), {
        count: 1,
        oldest: '2026-12-03T11:55:00.000Z',
      });
      assert.deepEqual(await store.sessions.failuresSince(subject, '2026-12-03T12:00:00.000Z'), {
        count: 0,
        oldest: null,
      });
      assert.deepEqual(await store.sessions.failuresSince('email:nobody@example.com', '2026-01-01T00:00:00.000Z'), {
        count: 0,
        oldest: null,
      });
    });

    test('deleteFailures takes back exactly the given failures', async () => {
      const subject = 'email:ann@example.com';
      await store.sessions.recordFailure('lfl_1', subject, CREATED);
      await store.sessions.recordFailure('lfl_2', subject, CREATED);
      await store.sessions.recordFailure('lfl_3', 'ip:127.0.0.1', CREATED);
      await store.sessions.deleteFailures(['lfl_1', 'lfl_3']);
      await store.sessions.deleteFailures([]);
      assert.equal((await store.sessions.failuresSince(subject, '2026-01-01T00:00:00.000Z')).count, 1);
      assert.equal((await store.sessions.failuresSince('ip:127.0.0.1', '2026-01-01T00:00:00.000Z')).count, 0);
    });

    test('deleteFailuresBefore prunes old failures only', async () => {
      const subject = 'ip:127.0.0.1';
      await store.sessions.recordFailure('lfl_1', subject, '2026-12-03T10:00:00.000Z');
      await store.sessions.recordFailure('lfl_2', subject, '2026-12-03T11:00:00.000Z');
      await store.sessions.recordFailure('lfl_3', subject, '2026-12-03T12:00:00.000Z');
      assert.equal(await store.sessions.deleteFailuresBefore('2026-12-03T11:00:00.000Z'), 1);
      assert.deepEqual(await store.sessions.failuresSince(subject, '2026-01-01T00:00:00.000Z'), {
        count: 2,
        oldest: '2026-12-03T11:00:00.000Z',
      });
    });

    test('a session belongs to an existing account', async () => {
      await assert.rejects(store.sessions.insert(session({ accountId: 'mem_nobody' })));
    });
  });
}
