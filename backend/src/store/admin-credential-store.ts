import { sql } from 'kysely';
import type { StoreContext } from './kysely-db.js';
import { newestFirst, type Page, type PageRequest, toPage } from './pagination.js';

/** A credential as the back office sees it: states and times, never the token or the PIN hash. */
export interface CredentialRecord {
  id: string;
  jti: string;
  memberId: string;
  memberEmail: string;
  benefitId: string;
  benefitTitle: string;
  affiliateId: string;
  status: 'issued' | 'redeemed' | 'revoked' | 'locked';
  pinProtected: boolean;
  holderBound: boolean;
  issuedAt: string;
  expiresAt: string;
  redeemedAt: string | null;
  revokedAt: string | null;
}

export interface CredentialFilter {
  memberId?: string;
  benefitId?: string;
  /** An exact credential id or `jti`. */
  id?: string;
}

export interface AdminCredentialStore {
  find(id: string): Promise<CredentialRecord | null>;
  list(filter: CredentialFilter, page: PageRequest): Promise<Page<CredentialRecord>>;
  /** Revokes an unredeemed credential; false when it is redeemed, already revoked or unknown. */
  revoke(id: string, at: string): Promise<boolean>;
  /** Issued and redeemed counts since `since`, for the dashboard. */
  countIssuedSince(since: string): Promise<number>;
  /**
   * Credentials issued per UTC day (`YYYY-MM-DD`) from `since` on, for the dashboard chart: one
   * range scan of the `credentials_issued` (issued_at, id) index. Days without any are left out.
   */
  issuedPerDay(since: string): Promise<DayCount[]>;
}

/** How many things happened on one UTC day (`YYYY-MM-DD`). */
export interface DayCount {
  day: string;
  count: number;
}

/** Creates the Kysely implementation of {@link AdminCredentialStore}. */
export function createAdminCredentialStore({ db }: StoreContext): AdminCredentialStore {
  const base = () =>
    db
      .selectFrom('credentials')
      .innerJoin('accounts', 'accounts.id', 'credentials.member_id')
      .innerJoin('benefits', 'benefits.id', 'credentials.benefit_id')
      .select([
        'credentials.id',
        'credentials.jti',
        'credentials.member_id',
        'accounts.email',
        'credentials.benefit_id',
        'benefits.title',
        'credentials.affiliate_id',
        'credentials.status',
        'credentials.pin_hash',
        'credentials.holder_thumbprint',
        'credentials.issued_at',
        'credentials.expires_at',
        'credentials.redeemed_at',
        'credentials.revoked_at',
      ]);
  type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;
  const toRecord = (r: Row): CredentialRecord => ({
    id: r.id,
    jti: r.jti,
    memberId: r.member_id,
    memberEmail: r.email,
    benefitId: r.benefit_id,
    benefitTitle: r.title,
    affiliateId: r.affiliate_id,
    status: r.status,
    pinProtected: r.pin_hash !== null,
    holderBound: r.holder_thumbprint !== null,
    issuedAt: r.issued_at,
    expiresAt: r.expires_at,
    redeemedAt: r.redeemed_at,
    revokedAt: r.revoked_at,
  });
  return {
    async find(id) {
      const row = await base().where('credentials.id', '=', id).executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async list(filter, page) {
      let query = base();
      if (filter.memberId !== undefined) query = query.where('credentials.member_id', '=', filter.memberId);
      if (filter.benefitId !== undefined) query = query.where('credentials.benefit_id', '=', filter.benefitId);
      if (filter.id !== undefined) {
        const id = filter.id;
        query = query.where((eb) => eb.or([eb('credentials.id', '=', id), eb('credentials.jti', '=', id)]));
      }
      const rows = await newestFirst(query, page, { at: 'credentials.issued_at', id: 'credentials.id' }).execute();
      return toPage(rows, page.limit, (r) => ({ at: r.issued_at, id: r.id }), toRecord);
    },
    async revoke(id, at) {
      const result = await db
        .updateTable('credentials')
        .set({ status: 'revoked', revoked_at: at })
        .where('id', '=', id)
        .where('status', 'in', ['issued', 'locked'])
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async countIssuedSince(since) {
      const row = await db
        .selectFrom('credentials')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('issued_at', '>=', since)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async issuedPerDay(since) {
      // Stored times are ISO strings, so the first ten characters are the UTC day on both engines.
      const rows = await db
        .selectFrom('credentials')
        .select((eb) => [sql<string>`substr(issued_at, 1, 10)`.as('day'), eb.fn.countAll<number | string>().as('n')])
        .where('issued_at', '>=', since)
        .groupBy('day')
        .orderBy('day')
        .execute();
      return rows.map((r) => ({ day: r.day, count: Number(r.n) }));
    },
  };
}
