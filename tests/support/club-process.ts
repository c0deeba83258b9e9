import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../backend/src/clock.js';
import { migrateToLatest } from '../../backend/src/db/migrate.js';
import { openDatabase } from '../../backend/src/db/open-database.js';
import { registerAccount } from '../../backend/src/domain/members/register-member.js';
import { createStore } from '../../backend/src/store/store.js';
import { type ServeProcess, startServeProcess } from '../../backend/src/test-support/serve-process.js';

export const ADMIN_EMAIL = 'admin@clubpass.test';
export const ADMIN_PASSWORD = 'correct horse battery staple';

/** A real club backend process on a fresh SQLite file, with one admin account. */
export interface ClubProcess {
  url: string;
  dataDir: string;
  databaseUrl: string;
  serve: ServeProcess;
  stop(): Promise<void>;
}

/**
 * Starts `npm run serve`'s entry point as its own process on a free port over a new SQLite file
 * and creates an admin account in it first (as the CLI does, with a cheap hash for speed).
 */
export async function startClubProcess(env: Record<string, string> = {}): Promise<ClubProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clubpass-e2e-'));
  const databaseUrl = join(dataDir, 'club.sqlite');
  const database = openDatabase(databaseUrl);
  await migrateToLatest(database.db);
  await registerAccount(
    { store: createStore(database.db, database.kind), clock: systemClock(), password: { N: 2 ** 10, r: 8, p: 1 } },
    {
      email: ADMIN_EMAIL,
      password: ADMIN_PASSWORD,
      givenName: 'Grace',
      familyName: 'Hopper',
      phoneNumber: null,
      address: null,
    },
    'admin',
  );
  await database.close();
  const serve = await startServeProcess({ DATABASE_URL: databaseUrl, CLUBPASS_DATA_DIR: dataDir, ...env });
  return {
    url: serve.url,
    dataDir,
    databaseUrl,
    serve,
    async stop() {
      await serve.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
