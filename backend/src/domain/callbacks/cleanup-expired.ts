import type { Clock } from '@clubpass/shared';
import type { Store } from '../../store/store.js';

/** Idempotency keys are kept at least this long (PROTOCOL.md §7: at least 24 h). */
export const IDEMPOTENCY_RETENTION_SECONDS = 48 * 3600;
/** Used or expired nonces are kept a while for support questions, then removed. */
export const NONCE_RETENTION_SECONDS = 24 * 3600;

/**
 * Removes what has expired: nonces, sessions, login-failure records past their window and old
 * idempotency keys. Run periodically by the server; cheap, as every condition is indexed.
 */
export async function cleanupExpired(deps: { store: Store; clock: Clock }): Promise<Record<string, number>> {
  const now = deps.clock.now().getTime();
  const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();
  return {
    nonces: await deps.store.nonces.deleteExpired(ago(NONCE_RETENTION_SECONDS)),
    sessions: await deps.store.sessions.deleteExpired(new Date(now).toISOString()),
    loginFailures: await deps.store.sessions.deleteFailuresBefore(ago(24 * 3600)),
    idempotencyKeys: await deps.store.idempotency.deleteBefore(ago(IDEMPOTENCY_RETENTION_SECONDS)),
  };
}
