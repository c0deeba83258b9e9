import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../db/open-database.js';
import type { Database } from '../db/schema.js';

/** What each area store is built on: a Kysely handle (the pool or a transaction) and the engine. */
export interface StoreContext {
  db: Kysely<Database>;
  kind: DatabaseKind;
}
