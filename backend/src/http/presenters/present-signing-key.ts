import { rfc3339 } from '../../clock.js';
import type { StoredSigningKey } from '../../store/signing-key-store.js';

/**
 * A club signing key as `GET /v1/admin/keys` lists it: identifiers and lifecycle only, never
 * key material (not even the sealed private key). `published` says whether it is in the JWKS.
 */
export function presentSigningKey(key: StoredSigningKey, now: Date) {
  const published = key.retiredAt === null || (key.publishUntil !== null && key.publishUntil > now.toISOString());
  return {
    kid: key.kid,
    alg: key.alg,
    created_at: rfc3339(key.createdAt),
    retired_at: key.retiredAt === null ? null : rfc3339(key.retiredAt),
    publish_until: key.publishUntil === null ? null : rfc3339(key.publishUntil),
    published,
  };
}
