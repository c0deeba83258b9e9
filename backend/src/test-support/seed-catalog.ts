import type { BenefitKind, BenefitTerms } from '@clubpass/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { newId } from '../ids.js';
import { TEST_NOW } from './test-backend.js';

/** An affiliate as a test seeded it. */
export interface SeededAffiliate {
  id: string;
  name: string;
  origins: string[];
  redeemUrl: string | null;
}

/** A benefit as a test seeded it. */
export interface SeededBenefit {
  id: string;
  affiliateId: string;
  kind: BenefitKind;
  title: string;
  terms: BenefitTerms;
}

/**
 * Inserts an affiliate straight into the database, for tests that need a catalog without going
 * through the admin API (which other tests cover on their own).
 */
export async function seedAffiliate(
  db: Kysely<Database>,
  overrides: Partial<Omit<SeededAffiliate, 'id'>> = {},
): Promise<SeededAffiliate> {
  const origins = overrides.origins ?? ['https://shop.example'];
  const affiliate: SeededAffiliate = {
    id: newId('aff'),
    name: overrides.name ?? 'Example Shop',
    origins,
    redeemUrl: overrides.redeemUrl === undefined ? `${origins[0]}/clubpass/redeem` : overrides.redeemUrl,
  };
  await db
    .insertInto('affiliates')
    .values({
      id: affiliate.id,
      name: affiliate.name,
      origins: JSON.stringify(affiliate.origins),
      redeem_url: affiliate.redeemUrl,
      contact_email: null,
      created_at: TEST_NOW,
      updated_at: TEST_NOW,
    })
    .execute();
  return affiliate;
}

export interface BenefitSeed {
  kind?: BenefitKind;
  title?: string;
  terms?: BenefitTerms;
  price?: { amount: number; currency: string };
  credentialTtlSeconds?: number;
  validFrom?: string | null;
  validUntil?: string | null;
  perMemberLimit?: number | null;
  totalLimit?: number | null;
  requires?: string[];
  active?: boolean;
}

/** Inserts a benefit of `affiliateId` straight into the database; defaults make an unlimited, active 10 % discount. */
export async function seedBenefit(
  db: Kysely<Database>,
  affiliateId: string,
  seed: BenefitSeed = {},
): Promise<SeededBenefit> {
  const benefit: SeededBenefit = {
    id: newId('ben'),
    affiliateId,
    kind: seed.kind ?? 'product_discount',
    title: seed.title ?? '10 % off everything',
    terms: seed.terms ?? { percent_off: 10 },
  };
  await db
    .insertInto('benefits')
    .values({
      id: benefit.id,
      affiliate_id: affiliateId,
      kind: benefit.kind,
      title: benefit.title,
      description: null,
      terms: JSON.stringify(benefit.terms),
      price_amount: seed.price?.amount ?? 250,
      price_currency: seed.price?.currency ?? 'EUR',
      credential_ttl_seconds: seed.credentialTtlSeconds ?? 30 * 24 * 3600,
      valid_from: seed.validFrom ?? null,
      valid_until: seed.validUntil ?? null,
      per_member_limit: seed.perMemberLimit ?? null,
      total_limit: seed.totalLimit ?? null,
      requires: JSON.stringify(seed.requires ?? []),
      active: seed.active === false ? 0 : 1,
      created_at: TEST_NOW,
      updated_at: TEST_NOW,
    })
    .execute();
  return benefit;
}
