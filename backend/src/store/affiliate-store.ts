import type { AffiliatesTable, ApiKeysTable } from '../db/schema.js';
import type { StoreContext } from './kysely-db.js';
import { newestFirst, type Page, type PageRequest, toPage } from './pagination.js';

/** The affiliate an unrevoked API key belongs to. */
export interface ApiKeyOwner {
  keyId: string;
  affiliateId: string;
}

/** A partner merchant as the domain sees it (PROTOCOL.md §8). */
export interface Affiliate {
  id: string;
  name: string;
  /** Exact web origins, already checked and canonical (`https://host[:port]`). */
  origins: string[];
  redeemUrl: string | null;
  contactEmail: string | null;
  createdAt: string;
  updatedAt: string;
}

/** An affiliate API key as it may be shown: never the key, never its digest. */
export interface ApiKey {
  id: string;
  affiliateId: string;
  /** The first characters of the key, so an admin can tell keys apart; not enough to use it. */
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface AffiliateStore {
  /** The owner of an unrevoked API key with this SHA-256 digest; revoked keys are never found. */
  findApiKeyOwner(digest: string): Promise<ApiKeyOwner | null>;
  insert(affiliate: Affiliate): Promise<void>;
  /** Writes the editable fields (name, origins, redeem URL, contact) and `updatedAt`. */
  update(affiliate: Affiliate): Promise<void>;
  findById(id: string): Promise<Affiliate | null>;
  /** Newest first, by the `affiliates_created` index. */
  list(page: PageRequest): Promise<Page<Affiliate>>;
  /** Every affiliate, oldest first: the signed directory lists them all. */
  listAll(): Promise<Affiliate[]>;
  /** Stores a new key; only the digest of the key itself is ever written. */
  insertApiKey(key: ApiKey & { digest: string }): Promise<void>;
  /** An affiliate's keys, newest first, revoked ones included. */
  listApiKeys(affiliateId: string): Promise<ApiKey[]>;
  /**
   * Revokes one of an affiliate's keys at `at` (a key already revoked keeps its first time).
   * Null when the affiliate has no key with this id, so one affiliate's key cannot be reached
   * through another's URL.
   */
  revokeApiKey(affiliateId: string, keyId: string, at: string): Promise<ApiKey | null>;
}

function toAffiliate(row: AffiliatesTable): Affiliate {
  return {
    id: row.id,
    name: row.name,
    origins: JSON.parse(row.origins) as string[],
    redeemUrl: row.redeem_url,
    contactEmail: row.contact_email,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toApiKey(row: Omit<ApiKeysTable, 'digest'>): ApiKey {
  return {
    id: row.id,
    affiliateId: row.affiliate_id,
    prefix: row.prefix,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

const API_KEY_COLUMNS = ['id', 'affiliate_id', 'prefix', 'created_at', 'revoked_at'] as const;

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
    async insert(a) {
      await db
        .insertInto('affiliates')
        .values({
          id: a.id,
          name: a.name,
          origins: JSON.stringify(a.origins),
          redeem_url: a.redeemUrl,
          contact_email: a.contactEmail,
          created_at: a.createdAt,
          updated_at: a.updatedAt,
        })
        .execute();
    },
    async update(a) {
      await db
        .updateTable('affiliates')
        .set({
          name: a.name,
          origins: JSON.stringify(a.origins),
          redeem_url: a.redeemUrl,
          contact_email: a.contactEmail,
          updated_at: a.updatedAt,
        })
        .where('id', '=', a.id)
        .execute();
    },
    async findById(id) {
      const row = await db.selectFrom('affiliates').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toAffiliate(row) : null;
    },
    async list(page) {
      const query = db.selectFrom('affiliates').selectAll();
      const rows = await newestFirst(query, page, { at: 'created_at', id: 'id' }).execute();
      return toPage(rows, page.limit, (r) => ({ at: r.created_at, id: r.id }), toAffiliate);
    },
    async listAll() {
      const rows = await db.selectFrom('affiliates').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(toAffiliate);
    },
    async insertApiKey(k) {
      await db
        .insertInto('api_keys')
        .values({
          id: k.id,
          affiliate_id: k.affiliateId,
          digest: k.digest,
          prefix: k.prefix,
          created_at: k.createdAt,
          revoked_at: k.revokedAt,
        })
        .execute();
    },
    async listApiKeys(affiliateId) {
      const rows = await db
        .selectFrom('api_keys')
        .select(API_KEY_COLUMNS)
        .where('affiliate_id', '=', affiliateId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map(toApiKey);
    },
    async revokeApiKey(affiliateId, keyId, at) {
      await db
        .updateTable('api_keys')
        .set({ revoked_at: at })
        .where('id', '=', keyId)
        .where('affiliate_id', '=', affiliateId)
        .where('revoked_at', 'is', null)
        .execute();
      const row = await db
        .selectFrom('api_keys')
        .select(API_KEY_COLUMNS)
        .where('id', '=', keyId)
        .where('affiliate_id', '=', affiliateId)
        .executeTakeFirst();
      return row ? toApiKey(row) : null;
    },
  };
}
