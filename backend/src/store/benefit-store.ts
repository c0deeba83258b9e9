import type { BenefitKind, BenefitTerms, DisclosableClaim, Money } from '@clubpass/shared';
import type { Selectable } from 'kysely';
import type { BenefitsTable } from '../db/schema.js';
import type { StoreContext } from './kysely-db.js';
import { newestFirst, type Page, type PageRequest, toPage } from './pagination.js';

/** A benefit an affiliate offers the club's members (PROTOCOL.md §8), as the domain sees it. */
export interface Benefit {
  id: string;
  affiliateId: string;
  kind: BenefitKind;
  title: string;
  description: string | null;
  terms: BenefitTerms;
  /** What the club pays the affiliate per redemption. */
  price: Money;
  credentialTtlSeconds: number;
  validFrom: string | null;
  validUntil: string | null;
  perMemberLimit: number | null;
  totalLimit: number | null;
  /** Credentials issued so far; maintained by issuance, never written from here after insert. */
  issuedCount: number;
  requires: DisclosableClaim[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A benefit on offer with the public facts about its affiliate, as the catalog lists it. */
export interface CatalogEntry {
  benefit: Benefit;
  affiliate: { id: string; name: string; origins: string[] };
}

export interface BenefitStore {
  /** Inserts a benefit with an issued count of 0. */
  insert(benefit: Benefit): Promise<void>;
  /**
   * Writes the editable fields and `updatedAt`. Never `issued_count`: issuance increments it
   * concurrently, and writing back a value read earlier would lose those increments.
   */
  update(benefit: Benefit): Promise<void>;
  findById(id: string): Promise<Benefit | null>;
  /**
   * Newest first; optionally only one affiliate's (`benefits_affiliate`), or only those on offer
   * or withdrawn (`benefits_active_created`).
   */
  list(page: PageRequest, filter?: { affiliateId?: string; active?: boolean }): Promise<Page<Benefit>>;
  /**
   * Benefits on offer at `now`: active, `valid_from` ≤ now (or none) and now < `valid_until`
   * (or none), newest first, walking the `benefits_active_created` index.
   */
  listOffered(now: string, page: PageRequest): Promise<Page<CatalogEntry>>;
  /** Credentials of this benefit that are currently redeemed (a voided redemption frees its credential). */
  countRedeemed(benefitId: string): Promise<number>;
}

function toBenefit(row: Selectable<BenefitsTable>): Benefit {
  return {
    id: row.id,
    affiliateId: row.affiliate_id,
    kind: row.kind as BenefitKind,
    title: row.title,
    description: row.description,
    terms: JSON.parse(row.terms) as BenefitTerms,
    price: { amount: Number(row.price_amount), currency: row.price_currency },
    credentialTtlSeconds: row.credential_ttl_seconds,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    perMemberLimit: row.per_member_limit,
    totalLimit: row.total_limit,
    issuedCount: Number(row.issued_count),
    requires: JSON.parse(row.requires) as DisclosableClaim[],
    active: Number(row.active) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The columns an edit may change; shared by insert and update so the two cannot drift apart. */
function editableColumns(b: Benefit) {
  return {
    kind: b.kind,
    title: b.title,
    description: b.description,
    terms: JSON.stringify(b.terms),
    price_amount: b.price.amount,
    price_currency: b.price.currency,
    credential_ttl_seconds: b.credentialTtlSeconds,
    valid_from: b.validFrom,
    valid_until: b.validUntil,
    per_member_limit: b.perMemberLimit,
    total_limit: b.totalLimit,
    requires: JSON.stringify(b.requires),
    active: b.active ? 1 : 0,
    updated_at: b.updatedAt,
  };
}

/** Creates the Kysely implementation of {@link BenefitStore}. */
export function createBenefitStore({ db }: StoreContext): BenefitStore {
  return {
    async insert(b) {
      await db
        .insertInto('benefits')
        .values({ id: b.id, affiliate_id: b.affiliateId, created_at: b.createdAt, ...editableColumns(b) })
        .execute();
    },
    async update(b) {
      await db.updateTable('benefits').set(editableColumns(b)).where('id', '=', b.id).execute();
    },
    async findById(id) {
      const row = await db.selectFrom('benefits').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toBenefit(row) : null;
    },
    async list(page, filter = {}) {
      let query = db.selectFrom('benefits').selectAll();
      if (filter.affiliateId !== undefined) query = query.where('affiliate_id', '=', filter.affiliateId);
      if (filter.active !== undefined) query = query.where('active', '=', filter.active ? 1 : 0);
      const rows = await newestFirst(query, page, { at: 'created_at', id: 'id' }).execute();
      return toPage(rows, page.limit, (r) => ({ at: r.created_at, id: r.id }), toBenefit);
    },
    async listOffered(now, page) {
      const query = db
        .selectFrom('benefits as b')
        .innerJoin('affiliates as a', 'a.id', 'b.affiliate_id')
        .selectAll('b')
        .select(['a.name as affiliate_name', 'a.origins as affiliate_origins'])
        .where('b.active', '=', 1)
        .where((eb) => eb.or([eb('b.valid_from', 'is', null), eb('b.valid_from', '<=', now)]))
        .where((eb) => eb.or([eb('b.valid_until', 'is', null), eb('b.valid_until', '>', now)]));
      const rows = await newestFirst(query, page, { at: 'b.created_at', id: 'b.id' }).execute();
      return toPage(
        rows,
        page.limit,
        (r) => ({ at: r.created_at, id: r.id }),
        (r) => ({
          benefit: toBenefit(r),
          affiliate: {
            id: r.affiliate_id,
            name: r.affiliate_name,
            origins: JSON.parse(r.affiliate_origins) as string[],
          },
        }),
      );
    },
    async countRedeemed(benefitId) {
      // credentials_benefit index; the credential's status is the live truth (a void resets it).
      const row = await db
        .selectFrom('credentials')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('benefit_id', '=', benefitId)
        .where('status', '=', 'redeemed')
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
