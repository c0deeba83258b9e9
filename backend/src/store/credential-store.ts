import type { BenefitKind, BenefitTerms } from '@clubpass/shared';
import type { Selectable } from 'kysely';
import type { CredentialsTable } from '../db/schema.js';
import type { StoreContext } from './kysely-db.js';
import { newestFirst, type Page, type PageRequest, toPage } from './pagination.js';

/** A credential's lifecycle state as stored; "expired" is never stored, it is computed from `expiresAt`. */
export type StoredCredentialStatus = CredentialsTable['status'];

/** An issued credential as the club records it (PROTOCOL.md §3, §6). */
export interface StoredCredential {
  id: string;
  jti: string;
  memberId: string;
  benefitId: string;
  affiliateId: string;
  /** RFC 7638 thumbprint of `cnf.jwk`; null for a link credential (§9). */
  holderThumbprint: string | null;
  /** The club key that signed it. */
  kid: string;
  sub: string;
  billingRef: string;
  /** The SD-JWT as issued, with every disclosure. */
  credential: string;
  /** Slow hash of the member's PIN, or null when none was set. */
  pinHash: string | null;
  status: StoredCredentialStatus;
  issuedAt: string;
  expiresAt: string;
  redeemedAt: string | null;
  revokedAt: string | null;
}

/** What issuance needs to know about a benefit and its affiliate, read in one query. */
export interface IssuableBenefit {
  id: string;
  affiliateId: string;
  /** Where link credentials send the member; null when the affiliate has none. */
  redeemUrl: string | null;
  kind: BenefitKind;
  title: string;
  terms: BenefitTerms;
  credentialTtlSeconds: number;
  validFrom: string | null;
  validUntil: string | null;
  perMemberLimit: number | null;
  totalLimit: number | null;
  active: boolean;
}

/** One line of a member's credential list, with the benefit and affiliate it is for. */
export interface MemberCredentialSummary {
  id: string;
  status: StoredCredentialStatus;
  issuedAt: string;
  expiresAt: string;
  redeemedAt: string | null;
  benefit: { id: string; kind: BenefitKind; title: string; terms: BenefitTerms };
  affiliate: { id: string; name: string };
}

/** Which earlier credential an issuance request could be a replay of. */
export interface ReusableQuery {
  memberId: string;
  benefitId: string;
  holderThumbprint: string;
  /** Whether the request set a PIN: a PIN-protected credential never answers a request without one, and back. */
  pinned: boolean;
  /** Credentials expiring at or before this instant are not reused. */
  now: string;
}

/** Outcome of reserving one unit of a benefit's `total_limit`. */
export type IssuanceClaim = 'claimed' | 'limit_reached' | 'unavailable';

export interface CredentialStore {
  /** The benefit with its affiliate's `redeem_url`, active or not; null when there is no such benefit. */
  findIssuableBenefit(benefitId: string): Promise<IssuableBenefit | null>;
  /**
   * Serializes issuance for one member until the transaction ends. On PostgreSQL it locks the
   * member's account row; SQLite already runs one transaction at a time on its single connection.
   */
  lockMemberForIssuance(memberId: string): Promise<void>;
  /** The most recently issued live (issued, unexpired) credential matching the query, if any. */
  findLatestReusable(query: ReusableQuery): Promise<StoredCredential | null>;
  /** How many credentials the member was ever issued for the benefit, whatever became of them. */
  countIssuedToMember(memberId: string, benefitId: string): Promise<number>;
  /**
   * Atomically counts one more mint against the benefit when it is active and under its
   * `total_limit`: a single conditional UPDATE, so parallel issuers can never overshoot.
   */
  claimIssuance(benefitId: string): Promise<IssuanceClaim>;
  insert(credential: StoredCredential): Promise<void>;
  /** The member's credentials, newest first, with their benefit and affiliate. */
  listForMember(memberId: string, page: PageRequest): Promise<Page<MemberCredentialSummary>>;
}

function toStoredCredential(row: Selectable<CredentialsTable>): StoredCredential {
  return {
    id: row.id,
    jti: row.jti,
    memberId: row.member_id,
    benefitId: row.benefit_id,
    affiliateId: row.affiliate_id,
    holderThumbprint: row.holder_thumbprint,
    kid: row.kid,
    sub: row.sub,
    billingRef: row.billing_ref,
    credential: row.credential,
    pinHash: row.pin_hash,
    status: row.status,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    redeemedAt: row.redeemed_at,
    revokedAt: row.revoked_at,
  };
}

/** Creates the Kysely implementation of {@link CredentialStore}. */
export function createCredentialStore({ db, kind }: StoreContext): CredentialStore {
  return {
    async findIssuableBenefit(benefitId) {
      const row = await db
        .selectFrom('benefits')
        .innerJoin('affiliates', 'affiliates.id', 'benefits.affiliate_id')
        .select([
          'benefits.id',
          'benefits.affiliate_id',
          'affiliates.redeem_url',
          'benefits.kind',
          'benefits.title',
          'benefits.terms',
          'benefits.credential_ttl_seconds',
          'benefits.valid_from',
          'benefits.valid_until',
          'benefits.per_member_limit',
          'benefits.total_limit',
          'benefits.active',
        ])
        .where('benefits.id', '=', benefitId)
        .executeTakeFirst();
      if (!row) return null;
      return {
        id: row.id,
        affiliateId: row.affiliate_id,
        redeemUrl: row.redeem_url,
        kind: row.kind as BenefitKind,
        title: row.title,
        terms: JSON.parse(row.terms) as BenefitTerms,
        credentialTtlSeconds: Number(row.credential_ttl_seconds),
        validFrom: row.valid_from,
        validUntil: row.valid_until,
        perMemberLimit: row.per_member_limit === null ? null : Number(row.per_member_limit),
        totalLimit: row.total_limit === null ? null : Number(row.total_limit),
        active: Number(row.active) === 1,
      };
    },
    async lockMemberForIssuance(memberId) {
      // FOR NO KEY UPDATE, not FOR UPDATE: it serializes issuers of one member without blocking
      // inserts elsewhere that merely reference the account (sessions, credentials take KEY SHARE).
      if (kind !== 'postgres') return;
      await db.selectFrom('accounts').select('id').where('id', '=', memberId).forNoKeyUpdate().execute();
    },
    async findLatestReusable(q) {
      // One seek of credentials_reusable (member, benefit, holder, status, issued_at, id).
      const row = await db
        .selectFrom('credentials')
        .selectAll()
        .where('member_id', '=', q.memberId)
        .where('benefit_id', '=', q.benefitId)
        .where('holder_thumbprint', '=', q.holderThumbprint)
        .where('status', '=', 'issued')
        .where('expires_at', '>', q.now)
        .where('pin_hash', q.pinned ? 'is not' : 'is', null)
        .orderBy('issued_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? toStoredCredential(row) : null;
    },
    async countIssuedToMember(memberId, benefitId) {
      const row = await db
        .selectFrom('credentials')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('member_id', '=', memberId)
        .where('benefit_id', '=', benefitId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async claimIssuance(benefitId) {
      const result = await db
        .updateTable('benefits')
        .set((eb) => ({ issued_count: eb('issued_count', '+', 1) }))
        .where('id', '=', benefitId)
        .where('active', '=', 1)
        .where((eb) => eb.or([eb('total_limit', 'is', null), eb('issued_count', '<', eb.ref('total_limit'))]))
        .executeTakeFirst();
      if (result.numUpdatedRows > 0n) return 'claimed';
      // Nothing updated: tell a withdrawn benefit (404) from an exhausted one (409).
      const row = await db.selectFrom('benefits').select('active').where('id', '=', benefitId).executeTakeFirst();
      return row && Number(row.active) === 1 ? 'limit_reached' : 'unavailable';
    },
    async insert(c) {
      await db
        .insertInto('credentials')
        .values({
          id: c.id,
          jti: c.jti,
          member_id: c.memberId,
          benefit_id: c.benefitId,
          affiliate_id: c.affiliateId,
          holder_thumbprint: c.holderThumbprint,
          kid: c.kid,
          sub: c.sub,
          billing_ref: c.billingRef,
          credential: c.credential,
          pin_hash: c.pinHash,
          status: c.status,
          issued_at: c.issuedAt,
          expires_at: c.expiresAt,
          redeemed_at: c.redeemedAt,
          revoked_at: c.revokedAt,
        })
        .execute();
    },
    async listForMember(memberId, page) {
      const query = db
        .selectFrom('credentials')
        .innerJoin('benefits', 'benefits.id', 'credentials.benefit_id')
        .innerJoin('affiliates', 'affiliates.id', 'credentials.affiliate_id')
        .select([
          'credentials.id',
          'credentials.status',
          'credentials.issued_at',
          'credentials.expires_at',
          'credentials.redeemed_at',
          'benefits.id as benefit_id',
          'benefits.kind as benefit_kind',
          'benefits.title as benefit_title',
          'benefits.terms as benefit_terms',
          'affiliates.id as affiliate_id',
          'affiliates.name as affiliate_name',
        ])
        .where('credentials.member_id', '=', memberId);
      const rows = await newestFirst(query, page, { at: 'credentials.issued_at', id: 'credentials.id' }).execute();
      return toPage(
        rows,
        page.limit,
        (r) => ({ at: r.issued_at, id: r.id }),
        (r): MemberCredentialSummary => ({
          id: r.id,
          status: r.status,
          issuedAt: r.issued_at,
          expiresAt: r.expires_at,
          redeemedAt: r.redeemed_at,
          benefit: {
            id: r.benefit_id,
            kind: r.benefit_kind as BenefitKind,
            title: r.benefit_title,
            terms: JSON.parse(r.benefit_terms) as BenefitTerms,
          },
          affiliate: { id: r.affiliate_id, name: r.affiliate_name },
        }),
      );
    },
  };
}
