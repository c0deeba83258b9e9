import type { StoreContext } from './kysely-db.js';

/** A nonce an affiliate obtained for one presentation (PROTOCOL.md §7). */
export interface NonceRecord {
  nonce: string;
  affiliateId: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface NonceStore {
  insert(record: NonceRecord): Promise<void>;
  /** The nonce if it belongs to `affiliateId`, is unused and unexpired at `now`. */
  findUsable(nonce: string, affiliateId: string, now: string): Promise<NonceRecord | null>;
  /**
   * Uses the nonce up in one conditional write: true for exactly one caller, however many race,
   * and only while it is unused, unexpired and the affiliate's.
   */
  consume(nonce: string, affiliateId: string, now: string): Promise<boolean>;
  /** Deletes nonces that expired before `before`; returns how many. */
  deleteExpired(before: string): Promise<number>;
}

/** Creates the Kysely implementation of {@link NonceStore}. */
export function createNonceStore({ db }: StoreContext): NonceStore {
  return {
    async insert(r) {
      await db
        .insertInto('nonces')
        .values({
          nonce: r.nonce,
          affiliate_id: r.affiliateId,
          created_at: r.createdAt,
          expires_at: r.expiresAt,
          used_at: r.usedAt,
        })
        .execute();
    },
    async findUsable(nonce, affiliateId, now) {
      const row = await db
        .selectFrom('nonces')
        .selectAll()
        .where('nonce', '=', nonce)
        .where('affiliate_id', '=', affiliateId)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row
        ? {
            nonce: row.nonce,
            affiliateId: row.affiliate_id,
            createdAt: row.created_at,
            expiresAt: row.expires_at,
            usedAt: row.used_at,
          }
        : null;
    },
    async consume(nonce, affiliateId, now) {
      const result = await db
        .updateTable('nonces')
        .set({ used_at: now })
        .where('nonce', '=', nonce)
        .where('affiliate_id', '=', affiliateId)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async deleteExpired(before) {
      const result = await db.deleteFrom('nonces').where('expires_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
