import type { Clock } from '@clubpass/shared';
import { newId } from '../../ids.js';
import { API_KEY_PREFIX, SESSION_TOKEN_PREFIX } from '../../secrets.js';
import type { AuditDetailValue } from '../../store/audit-store.js';
import type { Store } from '../../store/store.js';

/** Every admin action the audit log records, on either edge (console or JSON admin API). */
export const AUDIT_ACTIONS = [
  'admin.sign_in',
  'admin.sign_out',
  'affiliate.create',
  'affiliate.update',
  'api_key.create',
  'api_key.revoke',
  'benefit.create',
  'benefit.update',
  'benefit.withdraw',
  'benefit.reinstate',
  'credential.revoke',
  'signing_key.rotate',
  'invoice.approve',
  'invoice.paid',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who acted, and from where: an admin account and the client address of the request. */
export interface AuditActor {
  accountId: string;
  ip: string | null;
}

/** What an action did: its name, the object it touched and plain facts about it. */
export interface AuditRecord {
  action: AuditAction;
  target: string | null;
  detail?: Record<string, AuditDetailValue>;
}

const SECRET_PREFIXES = [API_KEY_PREFIX, SESSION_TOKEN_PREFIX];
const REDACTED = '[redacted]';

/**
 * The detail as stored: a last guard against a secret slipping into the log through a future
 * edit. Any string that looks like an API key or a session token is replaced, never written.
 */
function scrub(detail: Record<string, AuditDetailValue>): Record<string, AuditDetailValue> {
  const clean = (value: string) => (SECRET_PREFIXES.some((p) => value.includes(p)) ? REDACTED : value);
  return Object.fromEntries(
    Object.entries(detail).map(([key, value]) => [
      key,
      typeof value === 'string' ? clean(value) : Array.isArray(value) ? value.map(clean) : value,
    ]),
  );
}

/**
 * Appends one entry to the audit log. The one writer of the log: both edges reach it through
 * the audited actions in `audited-actions.ts`, so each action is described in one place.
 */
export async function recordAudit(
  deps: { store: Store; clock: Clock },
  actor: AuditActor,
  record: AuditRecord,
): Promise<void> {
  await deps.store.audit.insert({
    id: newId('aud'),
    actorId: actor.accountId,
    action: record.action,
    target: record.target,
    detail: scrub(record.detail ?? {}),
    ip: actor.ip,
    at: deps.clock.now().toISOString(),
  });
}
