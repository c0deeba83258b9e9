import { type Clock, randomBase64url } from '@clubpass/shared';
import type { Store } from '../../store/store.js';

/** How long a nonce can be used (PROTOCOL.md §7: at most five minutes). */
export const NONCE_TTL_SECONDS = 300;

/**
 * Creates a single-use nonce bound to the affiliate: it can only be used up by a redemption of
 * that affiliate, within {@link NONCE_TTL_SECONDS}.
 */
export async function createNonce(
  deps: { store: Store; clock: Clock },
  affiliateId: string,
): Promise<{ nonce: string; expiresAt: string }> {
  const now = deps.clock.now();
  const nonce = randomBase64url(32);
  const expiresAt = new Date(now.getTime() + NONCE_TTL_SECONDS * 1000).toISOString();
  await deps.store.nonces.insert({ nonce, affiliateId, createdAt: now.toISOString(), expiresAt, usedAt: null });
  return { nonce, expiresAt };
}
