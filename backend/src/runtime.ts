import { hkdfSync } from 'node:crypto';
import type { Clock } from '@clubpass/shared';
import { type Logger, pino } from 'pino';
import type { Config } from './config/load-config.js';
import { migrateToLatest } from './db/migrate.js';
import { type OpenedDatabase, openDatabase } from './db/open-database.js';
import { PRODUCTION_PASSWORD_PARAMS } from './domain/members/password-hash.js';
import type { AppDeps } from './http/app-deps.js';
import { createKeyRing, type RotatingKeyRing } from './keys/create-key-ring.js';
import { createKeySealer, loadKeyEncryptionKey } from './keys/key-sealer.js';
import { createStore } from './store/store.js';

export interface Runtime {
  deps: AppDeps;
  keyRing: RotatingKeyRing;
  database: OpenedDatabase;
  close(): Promise<void>;
}

/**
 * Wires the backend from a validated config: opens and migrates the database, unseals the key
 * ring, and returns the app's dependencies. Shared by `serve` and the CLI.
 */
export async function openRuntime(
  config: Config,
  clock: Clock,
  logger: Logger = pino({ level: config.logLevel }),
): Promise<Runtime> {
  const database = openDatabase(config.databaseUrl);
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  const store = createStore(database.db, database.kind);
  const kek = loadKeyEncryptionKey(config.keyEncryptionKey, config.dataDir);
  const sealer = createKeySealer(kek);
  const keyRing = createKeyRing({ store, clock, sealer, alg: 'EdDSA' });
  await keyRing.current(); // first start: create the signing key now, not on the first request
  const deps: AppDeps = {
    store,
    clock,
    keyRing,
    logger,
    issuer: config.issuer,
    password: PRODUCTION_PASSWORD_PARAMS,
    // Derived rather than configured: one secret fewer to back up, and stable while the KEK is.
    subjectKey: new Uint8Array(hkdfSync('sha256', kek, new Uint8Array(0), 'clubpass pairwise sub v1', 32)),
    trustProxy: config.trustProxy,
  };
  return { deps, keyRing, database, close: () => database.close() };
}
