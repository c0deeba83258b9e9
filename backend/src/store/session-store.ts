import type { Role } from './account-store.js';
import type { StoreContext } from './kysely-db.js';

/** A signed-in session. The token itself is never stored: only its SHA-256 digest. */
export interface Session {
  tokenDigest: string;
  accountId: string;
  role: Role;
  kind: 'bearer' | 'cookie';
  csrfToken: string | null;
  createdAt: string;
  expiresAt: string;
}

export interface SessionStore {
  insert(session: Session): Promise<void>;
  /** The session with this digest if it has not expired at `now`. */
  findActive(tokenDigest: string, now: string): Promise<Session | null>;
  delete(tokenDigest: string): Promise<void>;
  deleteExpired(now: string): Promise<number>;
  /** Records a failed login for a subject (`email:<address>` or `ip:<client address>`). */
  recordFailure(id: string, subject: string, at: string): Promise<void>;
  /**
   * Failed logins for a subject strictly after `since`, and the oldest of them. Strictly: a failure
   * leaves the window at exactly `at + window`, which is what `Retry-After` promises.
   */
  failuresSince(subject: string, since: string): Promise<{ count: number; oldest: string | null }>;
  /** Takes back failures recorded for an attempt that turned out not to be one. */
  deleteFailures(ids: string[]): Promise<void>;
  deleteFailuresBefore(before: string): Promise<number>;
}

/** Creates the Kysely implementation of {@link SessionStore}. */
export function createSessionStore({ db }: StoreContext): SessionStore {
  return {
    async insert(s) {
      await db
        .insertInto('sessions')
        .values({
          token_digest: s.tokenDigest,
          account_id: s.accountId,
          role: s.role,
          kind: s.kind,
          csrf_token: s.csrfToken,
          created_at: s.createdAt,
          expires_at: s.expiresAt,
        })
        .execute();
    },
    async findActive(tokenDigest, now) {
      const row = await db
        .selectFrom('sessions')
        .selectAll()
        .where('token_digest', '=', tokenDigest)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      if (!row) return null;
      return {
        tokenDigest: row.token_digest,
        accountId: row.account_id,
        role: row.role,
        kind: row.kind,
        csrfToken: row.csrf_token,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      };
    },
    async delete(tokenDigest) {
      await db.deleteFrom('sessions').where('token_digest', '=', tokenDigest).execute();
    },
    async deleteExpired(now) {
      const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async recordFailure(id, subject, at) {
      await db.insertInto('login_failures').values({ id, subject, at }).execute();
    },
    async failuresSince(subject, since) {
      const row = await db
        .selectFrom('login_failures')
        .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.min('at').as('oldest')])
        .where('subject', '=', subject)
        .where('at', '>', since)
        .executeTakeFirstOrThrow();
      return { count: Number(row.n), oldest: (row.oldest as string | null) ?? null };
    },
    async deleteFailures(ids) {
      if (ids.length > 0) await db.deleteFrom('login_failures').where('id', 'in', ids).execute();
    },
    async deleteFailuresBefore(before) {
      const result = await db.deleteFrom('login_failures').where('at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
