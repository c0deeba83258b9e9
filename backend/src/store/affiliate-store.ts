import type { StoreContext } from './kysely-db.js';

/** The affiliate an unrevoked API key belongs to. */
export interface ApiKeyOwner {
  keyId: string;
  affiliateId: string;
}

export interface AffiliateStore {
  /** The owner of an unrevoked API key with this SHA-256 digest; revoked keys are never found. */
  findApiKeyOwner(digest: string): Promise<ApiKeyOwner | null>;
}

/** Creates the Kysely implementation of {@link AffiliateStore}. */
export function createAffiliateStore({ db }: StoreContext): AffiliateStore {
  return {
    async findApiKeyOwner(digest) {
      const row = await db
        .selectFrom('api_keys')
        .select(['id', 'affiliate_id'])
        .where('digest', '=', digest)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return row ? { keyId: row.id, affiliateId: row.affiliate_id } : null;
    },
  };
}
