import type { StoreContext } from './kysely-db.js';
import { newestFirst, type Page, type PageRequest, toPage } from './pagination.js';

/** A value kept in an audit entry's detail: plain facts about the action, never a secret. */
export type AuditDetailValue = string | number | boolean | null | readonly string[];

/** One admin action: who did what to which object, when, and from which client address. */
export interface AuditEntry {
  id: string;
  /** The admin account that acted. */
  actorId: string;
  /** A stable dotted name, such as `affiliate.create` or `invoice.approve`. */
  action: string;
  /** The id of the object acted on, when there is one. */
  target: string | null;
  detail: Record<string, AuditDetailValue>;
  /** The client address as Express reports it (honouring `trust proxy`). */
  ip: string | null;
  at: string;
}

/** An entry as the audit page lists it, with the actor's e-mail address when the account still exists. */
export interface ListedAuditEntry extends AuditEntry {
  actorEmail: string | null;
}

/**
 * The audit log. Append-only by construction: there is no method to change or remove an entry,
 * so no code path of the club can rewrite its own history.
 */
export interface AuditStore {
  insert(entry: AuditEntry): Promise<void>;
  /** Newest first, walking the `audit_log_at` (at, id) index. */
  list(page: PageRequest): Promise<Page<ListedAuditEntry>>;
}

/** Creates the Kysely implementation of {@link AuditStore}. */
export function createAuditStore({ db }: StoreContext): AuditStore {
  return {
    async insert(e) {
      await db
        .insertInto('audit_log')
        .values({
          id: e.id,
          actor_id: e.actorId,
          action: e.action,
          target: e.target,
          detail: JSON.stringify(e.detail),
          ip: e.ip,
          at: e.at,
        })
        .execute();
    },
    async list(page) {
      const query = db
        .selectFrom('audit_log')
        .leftJoin('accounts', 'accounts.id', 'audit_log.actor_id')
        .selectAll('audit_log')
        .select('accounts.email as actor_email');
      const rows = await newestFirst(query, page, { at: 'audit_log.at', id: 'audit_log.id' }).execute();
      return toPage(
        rows,
        page.limit,
        (r) => ({ at: r.at, id: r.id }),
        (r): ListedAuditEntry => ({
          id: r.id,
          actorId: r.actor_id,
          actorEmail: r.actor_email ?? null,
          action: r.action,
          target: r.target,
          detail: JSON.parse(r.detail) as Record<string, AuditDetailValue>,
          ip: r.ip,
          at: r.at,
        }),
      );
    },
  };
}
