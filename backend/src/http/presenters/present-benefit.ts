import { rfc3339 } from '../../clock.js';
import type { Benefit, CatalogEntry } from '../../store/benefit-store.js';

function time(value: string | null): string | null {
  return value === null ? null : rfc3339(value);
}

/**
 * A benefit as the admin API shows it: everything, including the price the club pays and how
 * many credentials were issued. `redeemedCount` is added where it was counted (one benefit).
 */
export function presentBenefit(benefit: Benefit, counts: { redeemedCount?: number } = {}) {
  return {
    id: benefit.id,
    affiliate_id: benefit.affiliateId,
    kind: benefit.kind,
    title: benefit.title,
    description: benefit.description,
    terms: benefit.terms,
    price: { amount: benefit.price.amount, currency: benefit.price.currency },
    credential_ttl_seconds: benefit.credentialTtlSeconds,
    valid_from: time(benefit.validFrom),
    valid_until: time(benefit.validUntil),
    per_member_limit: benefit.perMemberLimit,
    total_limit: benefit.totalLimit,
    requires: benefit.requires,
    active: benefit.active,
    issued_count: benefit.issuedCount,
    ...(counts.redeemedCount === undefined ? {} : { redeemed_count: counts.redeemedCount }),
    created_at: rfc3339(benefit.createdAt),
    updated_at: rfc3339(benefit.updatedAt),
  };
}

/**
 * A catalog entry (`GET /v1/catalog`, PROTOCOL.md §6): only what members may see. The price the
 * club pays, the limits and the counts are the club's business and are left out.
 */
export function presentCatalogEntry(entry: CatalogEntry) {
  const { benefit, affiliate } = entry;
  return {
    id: benefit.id,
    affiliate: { id: affiliate.id, name: affiliate.name, origins: affiliate.origins },
    kind: benefit.kind,
    title: benefit.title,
    description: benefit.description,
    terms: benefit.terms,
    valid_until: time(benefit.validUntil),
    requires: benefit.requires,
  };
}
