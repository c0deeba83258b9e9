import type { BenefitClaim, Money } from '@clubpass/shared';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { DayCount } from './admin-credential-store.js';
import type { StoreContext } from './kysely-db.js';
import { newestFirst, type Page, type PageRequest, toPage } from './pagination.js';

/** A credential as the callbacks need it: state, PIN guard and what redeeming it is worth. */
export interface RedeemableCredential {
  id: string;
  jti: string;
  memberId: string;
  affiliateId: string;
  status: 'issued' | 'redeemed' | 'revoked' | 'locked';
  pinHash: string | null;
  pinFailures: number;
  expiresAt: string;
  billingRef: string;
  benefit: BenefitClaim;
  price: Money;
}

export interface Redemption {
  id: string;
  credentialId: string;
  jti: string;
  affiliateId: string;
  benefit: BenefitClaim;
  price: Money;
  billingRef: string;
  orderRef: string | null;
  orderTotal: Money | null;
  disclosed: Record<string, unknown>;
  receipt: string;
  redeemedAt: string;
  voidedAt: string | null;
  voidReason: string | null;
  billingStatus: 'open' | 'invoiced' | 'cancelled';
  invoiceId: string | null;
}

export type NewRedemption = Omit<Redemption, 'voidedAt' | 'voidReason' | 'billingStatus' | 'invoiceId'> & {
  billingLineId: string;
};

export interface RedemptionFilter {
  affiliateId?: string;
  /** One credential's redemptions (the `redemptions_credential` index): at most one live, plus voided ones. */
  credentialId?: string;
  since?: string;
  until?: string;
}

export interface RedemptionStore {
  findCredentialByJti(jti: string): Promise<RedeemableCredential | null>;
  /**
   * Takes one PIN attempt BEFORE the PIN is checked, in one conditional write on an issued or
   * redeemed credential: parallel guesses can then never check more than `maxFailures` wrong PINs.
   * Returns the attempt's number (1..maxFailures), or null when none is left.
   */
  reservePinAttempt(credentialId: string, maxFailures: number): Promise<number | null>;
  /** Settles a reserved attempt: a right PIN gives it back; a wrong one keeps it and, at `maxFailures`, locks. */
  settlePinAttempt(credentialId: string, right: boolean, maxFailures: number): Promise<void>;
  /** The atomic conditional write behind exactly-once: issued → redeemed, true for one caller only. */
  markRedeemed(jti: string, now: string): Promise<boolean>;
  /** Writes the redemption and its open billing line. */
  insert(redemption: NewRedemption, now: string): Promise<void>;
  findById(id: string): Promise<Redemption | null>;
  list(filter: RedemptionFilter, page: PageRequest): Promise<Page<Redemption>>;
  /** Voids a live redemption whose billing line is still open; false if it is not (any more). */
  voidOpen(id: string, reason: string, now: string): Promise<boolean>;
  /** Makes a voided redemption's credential usable again (redeemed → issued). */
  reopenCredential(credentialId: string): Promise<void>;
  /** Counts for the dashboard and benchmarks. */
  count(filter: RedemptionFilter): Promise<number>;
  /**
   * Live (unvoided) redemptions per UTC day from `since` on, for the dashboard: one range scan of
   * the `redemptions_at` (redeemed_at, id) index. Days without any are left out.
   */
  redeemedPerDay(since: string): Promise<DayCount[]>;
}

function baseQuery(db: Kysely<Database>) {
  return db
    .selectFrom('redemptions')
    .innerJoin('billing_lines', 'billing_lines.redemption_id', 'redemptions.id')
    .innerJoin('benefits', 'benefits.id', 'redemptions.benefit_id')
    .selectAll('redemptions')
    .select([
      'billing_lines.status as billing_status',
      'billing_lines.invoice_id as invoice_id',
      'benefits.kind as benefit_kind',
      'benefits.title as benefit_title',
      'benefits.terms as benefit_terms',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

function toRedemption(row: Row): Redemption {
  return {
    id: row.id,
    credentialId: row.credential_id,
    jti: row.jti,
    affiliateId: row.affiliate_id,
    benefit: {
      id: row.benefit_id,
      kind: row.benefit_kind as BenefitClaim['kind'],
      title: row.benefit_title,
      terms: JSON.parse(row.benefit_terms) as BenefitClaim['terms'],
    },
    price: { amount: Number(row.amount), currency: row.currency },
    billingRef: row.billing_ref,
    orderRef: row.order_ref,
    orderTotal:
      row.order_total_amount === null || row.order_total_currency === null
        ? null
        : { amount: Number(row.order_total_amount), currency: row.order_total_currency },
    disclosed: JSON.parse(row.disclosed) as Record<string, unknown>,
    receipt: row.receipt,
    redeemedAt: row.redeemed_at,
    voidedAt: row.voided_at,
    voidReason: row.void_reason,
    billingStatus: row.billing_status,
    invoiceId: row.invoice_id,
  };
}

/** Creates the Kysely implementation of {@link RedemptionStore}. */
export function createRedemptionStore({ db }: StoreContext): RedemptionStore {
  function filtered(filter: RedemptionFilter) {
    let query = baseQuery(db);
    if (filter.affiliateId !== undefined) query = query.where('redemptions.affiliate_id', '=', filter.affiliateId);
    if (filter.credentialId !== undefined) query = query.where('redemptions.credential_id', '=', filter.credentialId);
    if (filter.since !== undefined) query = query.where('redemptions.redeemed_at', '>=', filter.since);
    if (filter.until !== undefined) query = query.where('redemptions.redeemed_at', '<', filter.until);
    return query;
  }
  return {
    async findCredentialByJti(jti) {
      const row = await db
        .selectFrom('credentials')
        .innerJoin('benefits', 'benefits.id', 'credentials.benefit_id')
        .select([
          'credentials.id',
          'credentials.jti',
          'credentials.member_id',
          'credentials.affiliate_id',
          'credentials.status',
          'credentials.pin_hash',
          'credentials.pin_failures',
          'credentials.expires_at',
          'credentials.billing_ref',
          'benefits.id as benefit_id',
          'benefits.kind',
          'benefits.title',
          'benefits.terms',
          'benefits.price_amount',
          'benefits.price_currency',
        ])
        .where('credentials.jti', '=', jti)
        .executeTakeFirst();
      if (!row) return null;
      return {
        id: row.id,
        jti: row.jti,
        memberId: row.member_id,
        affiliateId: row.affiliate_id,
        status: row.status,
        pinHash: row.pin_hash,
        pinFailures: Number(row.pin_failures),
        expiresAt: row.expires_at,
        billingRef: row.billing_ref,
        benefit: {
          id: row.benefit_id,
          kind: row.kind as BenefitClaim['kind'],
          title: row.title,
          terms: JSON.parse(row.terms) as BenefitClaim['terms'],
        },
        price: { amount: Number(row.price_amount), currency: row.price_currency },
      };
    },
    async reservePinAttempt(credentialId, maxFailures) {
      const row = await db
        .updateTable('credentials')
        .set((eb) => ({ pin_failures: eb('pin_failures', '+', 1) }))
        .where('id', '=', credentialId)
        // A redeemed credential counts too: else its PIN could be guessed freely, then used after a void.
        .where('status', 'in', ['issued', 'redeemed'])
        .where('pin_failures', '<', maxFailures)
        .returning('pin_failures')
        .executeTakeFirst();
      return row ? Number(row.pin_failures) : null;
    },
    async settlePinAttempt(credentialId, right, maxFailures) {
      if (right) {
        await db
          .updateTable('credentials')
          .set((eb) => ({ pin_failures: eb('pin_failures', '-', 1) }))
          .where('id', '=', credentialId)
          .where('pin_failures', '>', 0)
          .execute();
        return;
      }
      await db
        .updateTable('credentials')
        .set({ status: 'locked' })
        .where('id', '=', credentialId)
        .where('status', 'in', ['issued', 'redeemed'])
        .where('pin_failures', '>=', maxFailures)
        .execute();
    },
    async markRedeemed(jti, now) {
      const result = await db
        .updateTable('credentials')
        .set({ status: 'redeemed', redeemed_at: now })
        .where('jti', '=', jti)
        .where('status', '=', 'issued')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async insert(r, now) {
      await db
        .insertInto('redemptions')
        .values({
          id: r.id,
          credential_id: r.credentialId,
          jti: r.jti,
          affiliate_id: r.affiliateId,
          benefit_id: r.benefit.id,
          amount: r.price.amount,
          currency: r.price.currency,
          billing_ref: r.billingRef,
          order_ref: r.orderRef,
          order_total_amount: r.orderTotal?.amount ?? null,
          order_total_currency: r.orderTotal?.currency ?? null,
          disclosed: JSON.stringify(r.disclosed),
          receipt: r.receipt,
          redeemed_at: r.redeemedAt,
          voided_at: null,
          void_reason: null,
        })
        .execute();
      await db
        .insertInto('billing_lines')
        .values({
          id: r.billingLineId,
          redemption_id: r.id,
          affiliate_id: r.affiliateId,
          amount: r.price.amount,
          currency: r.price.currency,
          billing_ref: r.billingRef,
          status: 'open',
          invoice_id: null,
          created_at: now,
        })
        .execute();
    },
    async findById(id) {
      const row = await baseQuery(db).where('redemptions.id', '=', id).executeTakeFirst();
      return row ? toRedemption(row) : null;
    },
    async list(filter, page) {
      const query = filtered(filter);
      const rows = await newestFirst(query, page, { at: 'redemptions.redeemed_at', id: 'redemptions.id' }).execute();
      return toPage(rows, page.limit, (r) => ({ at: r.redeemed_at, id: r.id }), toRedemption);
    },
    async voidOpen(id, reason, now) {
      const line = await db
        .updateTable('billing_lines')
        .set({ status: 'cancelled' })
        .where('redemption_id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (Number(line.numUpdatedRows) !== 1) return false;
      const voided = await db
        .updateTable('redemptions')
        .set({ voided_at: now, void_reason: reason })
        .where('id', '=', id)
        .where('voided_at', 'is', null)
        .executeTakeFirst();
      return Number(voided.numUpdatedRows) === 1;
    },
    async reopenCredential(credentialId) {
      await db
        .updateTable('credentials')
        .set({ status: 'issued', redeemed_at: null })
        .where('id', '=', credentialId)
        .where('status', '=', 'redeemed')
        .execute();
    },
    async count(filter) {
      const row = await filtered(filter)
        .clearSelect()
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async redeemedPerDay(since) {
      const rows = await db
        .selectFrom('redemptions')
        .select((eb) => [sql<string>`substr(redeemed_at, 1, 10)`.as('day'), eb.fn.countAll<number | string>().as('n')])
        .where('redeemed_at', '>=', since)
        .where('voided_at', 'is', null)
        .groupBy('day')
        .orderBy('day')
        .execute();
      return rows.map((r) => ({ day: r.day, count: Number(r.n) }));
    },
  };
}
