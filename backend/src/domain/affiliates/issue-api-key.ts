import type { Clock } from '@clubpass/shared';
import { newId } from '../../ids.js';
import { API_KEY_PREFIX, newSecret, secretDigest } from '../../secrets.js';
import type { ApiKey } from '../../store/affiliate-store.js';
import type { Store } from '../../store/store.js';
import { notFoundError } from './not-found.js';

/** How much of a key is kept in clear for display: `cpk_` and 8 characters (48 of its 256 bits). */
export const API_KEY_DISPLAY_LENGTH = API_KEY_PREFIX.length + 8;

/** A key just made: the secret itself exists only in this value and the one response carrying it. */
export interface NewApiKey {
  key: ApiKey;
  secret: string;
}

/**
 * Makes and stores an API key for an affiliate known to exist. The store keeps the SHA-256 digest
 * (what authentication looks up) and a short prefix; the key cannot be shown again.
 */
export async function mintApiKey(store: Store, affiliateId: string, now: Date): Promise<NewApiKey> {
  const secret = newSecret(API_KEY_PREFIX);
  const key: ApiKey = {
    id: newId('key'),
    affiliateId,
    prefix: secret.slice(0, API_KEY_DISPLAY_LENGTH),
    createdAt: now.toISOString(),
    revokedAt: null,
  };
  await store.affiliates.insertApiKey({ ...key, digest: secretDigest(secret) });
  return { key, secret };
}

/**
 * Issues another API key to an affiliate (`POST /v1/admin/affiliates/{id}/api-keys`), e.g. to
 * rotate keys without downtime: the old one keeps working until it is revoked.
 * An unknown affiliate is 404 `not_found`.
 */
export async function issueApiKey(deps: { store: Store; clock: Clock }, affiliateId: string): Promise<NewApiKey> {
  return deps.store.transaction(async (store) => {
    if ((await store.affiliates.findById(affiliateId)) === null) throw notFoundError('affiliate', affiliateId);
    return mintApiKey(store, affiliateId, deps.clock.now());
  });
}
