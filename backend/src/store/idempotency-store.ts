import type { StoreContext } from './kysely-db.js';

/** A stored answer to an idempotent request, scoped to one affiliate and key. */
export interface IdempotencyRecord {
  affiliateId: string;
  key: string;
  /** SHA-256 of the request body, to tell a replay from a different request under the same key. */
  requestHash: string;
  responseStatus: number;
  responseBody: string;
  createdAt: string;
}

export interface IdempotencyStore {
  find(affiliateId: string, key: string): Promise<IdempotencyRecord | null>;
  /** Stores the answer; false when the key is already taken (a concurrent request won). */
  insert(record: IdempotencyRecord): Promise<boolean>;
  deleteBefore(before: string): Promise<number>;
}

/** Creates the Kysely implementation of {@link IdempotencyStore}. */
export function createIdempotencyStore({ db }: StoreContext): IdempotencyStore {
  return {
    async find(affiliateId, key) {
      const row = await db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('affiliate_id', '=', affiliateId)
        .where('key', '=', key)
        .executeTakeFirst();
      return row
        ? {
            affiliateId: row.affiliate_id,
            key: row.key,
            requestHash: row.request_hash,
            responseStatus: Number(row.response_status),
            responseBody: row.response_body,
            createdAt: row.created_at,
          }
        : null;
    },
    async insert(r) {
      // ON CONFLICT DO NOTHING rather than catching the error: inside a PostgreSQL transaction
      // a failed statement would abort the whole transaction.
      const result = await db
        .insertInto('idempotency_keys')
        .values({
          affiliate_id: r.affiliateId,
          key: r.key,
          request_hash: r.requestHash,
          response_status: r.responseStatus,
          response_body: r.responseBody,
          created_at: r.createdAt,
        })
        .onConflict((oc) => oc.columns(['affiliate_id', 'key']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    async deleteBefore(before) {
      const result = await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
