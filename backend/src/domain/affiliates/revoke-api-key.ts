import type { Clock } from '@clubpass/shared';
import type { ApiKey } from '../../store/affiliate-store.js';
import type { Store } from '../../store/store.js';
import { notFoundError } from './not-found.js';

/**
 * Revokes one of an affiliate's API keys. It stops working at once, on every backend instance:
 * authentication looks keys up in the database on every request and never finds a revoked one.
 * Revoking a revoked key changes nothing (and keeps the first revocation time); a key that is
 * not this affiliate's is 404 `not_found`, exactly like one that does not exist.
 */
export async function revokeApiKey(
  deps: { store: Store; clock: Clock },
  affiliateId: string,
  keyId: string,
): Promise<ApiKey> {
  const revoked = await deps.store.affiliates.revokeApiKey(affiliateId, keyId, deps.clock.now().toISOString());
  if (revoked === null) throw notFoundError('API key', keyId);
  return revoked;
}
