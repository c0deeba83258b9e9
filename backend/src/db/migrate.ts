// biome-ignore-all lint/suspicious/noExplicitAny: the migrator works on any schema
import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as initial from './migrations/2026-12-03T1700-initial.js';
import * as reusableCredentialIndex from './migrations/2026-12-03T1800-reusable-credential-index.js';
import * as consoleIndexes from './migrations/2026-12-03T1900-console-indexes.js';

// Listed here rather than read from the folder, so the migrator works the same from source and
// from a bundle. Names sort by time; a new migration is a new file and a new line, never an edit.
const MIGRATIONS: Record<string, Migration> = {
  '2026-12-03T1700-initial': initial,
  '2026-12-03T1800-reusable-credential-index': reusableCredentialIndex,
  '2026-12-03T1900-console-indexes': consoleIndexes,
};

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

/**
 * Brings the database schema up to date. On PostgreSQL it is safe to call from several processes
 * at once: Kysely's migrator serializes them with an advisory lock, in a transaction. On SQLite
 * Kysely takes no lock and runs no transaction, so start one process on a fresh file first.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    throw new Error(`Database migration failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
