import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateToLatest } from '../db/migrate.js';
import { type DatabaseKind, type OpenedDatabase, openDatabase } from '../db/open-database.js';

/**
 * The databases the storage and HTTP suites run on: a real SQLite file always, and PostgreSQL
 * when TEST_DATABASE_URL is set (CI sets it). The one reason a kind is left out is printed.
 */
export function testDatabaseKinds(): DatabaseKind[] {
  if (process.env.TEST_DATABASE_URL) return ['sqlite', 'postgres'];
  if (!warned) {
    warned = true;
    console.log('# PostgreSQL suites not run: TEST_DATABASE_URL is not set (.ci/run sets it)');
  }
  return ['sqlite'];
}
let warned = false;

export interface TestDatabase extends OpenedDatabase {
  /** The URL another process (a spawned `serve`) can open. */
  url: string;
  /** Closes the handle and removes the file or database. */
  dispose(): Promise<void>;
}

/**
 * A fresh, migrated database of `kind`: a new SQLite file in a temp folder, or a new PostgreSQL
 * database created next to TEST_DATABASE_URL's and dropped afterwards.
 */
export async function createTestDatabase(
  kind: DatabaseKind,
  options: { poolSize?: number } = {},
): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'clubpass-test-'));
    const url = join(dir, 'clubpass.sqlite');
    const opened = openDatabase(url);
    await migrateToLatest(opened.db);
    return {
      ...opened,
      url,
      async dispose() {
        await opened.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const empty = await createEmptyPostgresDatabase();
  const opened = openDatabase(empty.url, options);
  await migrateToLatest(opened.db);
  return {
    ...opened,
    url: empty.url,
    async dispose() {
      await opened.close();
      await empty.drop();
    },
  };
}

/**
 * A new, empty (unmigrated) PostgreSQL database next to TEST_DATABASE_URL's. `drop` waits for the
 * database's connections to go away first: `pg`'s pool.end() resolves before its sockets have
 * closed, and dropping WITH (FORCE) under a still-open socket makes its client throw
 * "terminating connection due to administrator command" as an uncaught error in whatever test runs next.
 */
export async function createEmptyPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const name = `clubpass_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: base });
      await cleanup.connect();
      try {
        for (let i = 0; i < 100; i++) {
          const { rows } = await cleanup.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [
            name,
          ]);
          if (rows[0]?.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
