import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createStore } from '../store/store.js';
import { memberAccount } from '../test-support/account-fixtures.js';
import { createEmptyPostgresDatabase, createTestDatabase, testDatabaseKinds } from '../test-support/test-database.js';
import { migrateToLatest } from './migrate.js';
import { openDatabase } from './open-database.js';

const INITIAL = '2026-12-03T1700-initial';
const REUSABLE_INDEX = '2026-12-03T1800-reusable-credential-index';
const CONSOLE_INDEXES = '2026-12-03T1900-console-indexes';
/** Every migration, in the order they apply. */
const ALL = [INITIAL, REUSABLE_INDEX, CONSOLE_INDEXES];

for (const kind of testDatabaseKinds()) {
  describe(`migrations on ${kind}`, () => {
    test('running the migrations again is a no-op that keeps the data', async () => {
      const database = await createTestDatabase(kind); // migrated once already
      try {
        const store = createStore(database.db, database.kind);
        const account = memberAccount();
        await store.accounts.insert(account);
        assert.deepEqual(await migrateToLatest(database.db), []);
        assert.deepEqual(await migrateToLatest(database.db), []);
        assert.deepEqual(await store.accounts.findById(account.id), account);
        const applied = await database.db
          .selectFrom('kysely_migration' as never)
          .select('name' as never)
          .execute();
        assert.deepEqual(
          applied,
          ALL.map((name) => ({ name })),
        );
      } finally {
        await database.dispose();
      }
    });
  });
}

describe('migrations on a fresh SQLite file', () => {
  test('the first run applies every migration and creates the file and its folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clubpass-migrate-'));
    const opened = openDatabase(`sqlite:${join(dir, 'nested', 'club.sqlite')}`);
    try {
      assert.deepEqual(await migrateToLatest(opened.db), ALL);
      assert.deepEqual(await migrateToLatest(opened.db), []);
      assert.equal(await createStore(opened.db, opened.kind).accounts.count('member'), 0);
    } finally {
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const postgres = testDatabaseKinds().includes('postgres');
describe('migrations on PostgreSQL from several processes at once', { skip: !postgres && 'no PostgreSQL' }, () => {
  test('concurrent migrateToLatest callers on an empty database all succeed and apply each migration once', async () => {
    const empty = await createEmptyPostgresDatabase();
    // Separate pools, as separate `serve` processes would have.
    const handles = Array.from({ length: 4 }, () => openDatabase(empty.url, { poolSize: 2 }));
    try {
      const results = await Promise.all(handles.map((h) => migrateToLatest(h.db)));
      assert.deepEqual(results.flat(), ALL, 'exactly one caller applies each migration');
      const store = createStore(handles[0]!.db, 'postgres');
      assert.equal(await store.accounts.insert(memberAccount()), true);
      assert.equal(await store.accounts.count('member'), 1);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
      await empty.drop();
    }
  });
});
