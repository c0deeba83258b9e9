import { rfc3339 } from '../../clock.js';
import type { Affiliate, ApiKey } from '../../store/affiliate-store.js';

/** An affiliate as the admin API shows it. Never any API key material. */
export function presentAffiliate(affiliate: Affiliate) {
  return {
    id: affiliate.id,
    name: affiliate.name,
    origins: affiliate.origins,
    redeem_url: affiliate.redeemUrl,
    contact_email: affiliate.contactEmail,
    created_at: rfc3339(affiliate.createdAt),
    updated_at: rfc3339(affiliate.updatedAt),
  };
}

/** An API key as listed: its id and display prefix, never the key or its digest. */
export function presentApiKey(key: ApiKey) {
  return {
    id: key.id,
    prefix: key.prefix,
    created_at: rfc3339(key.createdAt),
    revoked_at: key.revokedAt === null ? null : rfc3339(key.revokedAt),
  };
}

/** A key at the one moment it is shown in full: the response that created it. */
export function presentNewApiKey(key: ApiKey, secret: string) {
  return { ...presentApiKey(key), api_key: secret };
}
