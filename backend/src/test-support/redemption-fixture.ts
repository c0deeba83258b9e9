import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  type Clock,
  decodeCredential,
  encodeBase64url,
  type GeneratedKeyPair,
  generateKeyPair,
  presentCredential,
  signClubJwt,
} from '@clubpass/shared';
import { signInAdmin, signUpMember, type TestMember } from './test-accounts.js';
import type { TestBackend } from './test-backend.js';

export const SHOP_ORIGIN = 'https://shop.example';

/** An affiliate made through the admin API, with its API key. */
export interface TestAffiliate {
  id: string;
  apiKey: string;
  origin: string;
}

/** Creates an affiliate and one benefit through the admin API; returns both and the admin token. */
export async function createAffiliateWithBenefit(
  backend: TestBackend,
  benefit: Record<string, unknown> = {},
  origin = SHOP_ORIGIN,
): Promise<{ affiliate: TestAffiliate; benefitId: string; adminToken: string }> {
  const adminToken = await signInAdmin(backend);
  const created = await backend.request('POST', '/v1/admin/affiliates', {
    token: adminToken,
    body: { name: 'Example Shop', origins: [origin], redeem_url: `${origin}/redeem` },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const madeBenefit = await backend.request('POST', '/v1/admin/benefits', {
    token: adminToken,
    body: {
      affiliate_id: created.body.id,
      kind: 'product_discount',
      title: '10 % off',
      terms: { percent_off: 10 },
      price: { amount: 250, currency: 'EUR' },
      ...benefit,
    },
  });
  assert.equal(madeBenefit.status, 201, JSON.stringify(madeBenefit.body));
  return {
    affiliate: { id: created.body.id, apiKey: created.body.api_key, origin },
    benefitId: madeBenefit.body.id,
    adminToken,
  };
}

/** A member holding a credential for a benefit, with the holder key that can present it. */
export interface HeldCredential {
  member: TestMember;
  holder: GeneratedKeyPair;
  credentialId: string;
  credential: string;
}

/** Signs up a member (or reuses one) and issues them a holder-bound credential; `pin` protects it. */
export async function issueHeldCredential(
  backend: TestBackend,
  benefitId: string,
  options: { pin?: string; member?: TestMember; holder?: GeneratedKeyPair } = {},
): Promise<HeldCredential> {
  const member = options.member ?? (await signUpMember(backend, { address: { locality: 'Berlin', country: 'DE' } }));
  const holder = options.holder ?? (await generateKeyPair('EdDSA', { extractable: false }));
  const issued = await backend.request('POST', '/v1/credentials', {
    token: member.token,
    body: { benefit_id: benefitId, holder_jwk: holder.publicJwk, ...(options.pin ? { pin: options.pin } : {}) },
  });
  assert.ok(issued.status === 201 || issued.status === 200, JSON.stringify(issued.body));
  return { member, holder, credentialId: issued.body.id, credential: issued.body.credential };
}

/** Gets a fresh nonce for the affiliate. */
export async function getNonce(backend: TestBackend, affiliate: TestAffiliate): Promise<string> {
  const response = await backend.request('POST', '/v1/nonces', { token: affiliate.apiKey });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body.nonce;
}

/** Presents a held credential to the affiliate's origin with a fresh nonce. */
export async function presentTo(
  backend: TestBackend,
  affiliate: TestAffiliate,
  held: HeldCredential,
  disclose: string[] = ['address'],
): Promise<{ presentation: string; nonce: string; origin: string }> {
  const nonce = await getNonce(backend, affiliate);
  const presentation = await presentCredential({
    credential: held.credential,
    disclose,
    keyBinding: { holder: held.holder, origin: affiliate.origin, nonce, clock: backend.clock },
  });
  return { presentation, nonce, origin: affiliate.origin };
}

// ---- Helpers for the callback, ledger and billing suites (issue 4) ----

/** A fresh, unique Idempotency-Key. */
export function idempotencyKey(): string {
  return `idem-${randomUUID()}`;
}

/** `POST /v1/verifications` as the affiliate. */
export function verify(backend: TestBackend, affiliate: TestAffiliate, body: unknown) {
  return backend.request('POST', '/v1/verifications', { token: affiliate.apiKey, body });
}

/** `POST /v1/redemptions` as the affiliate, with a fresh Idempotency-Key unless one is given. */
export function redeem(backend: TestBackend, affiliate: TestAffiliate, body: unknown, key: string = idempotencyKey()) {
  return backend.request('POST', '/v1/redemptions', {
    token: affiliate.apiKey,
    body,
    headers: { 'idempotency-key': key },
  });
}

/**
 * A presentation of `credential` with any key-binding inputs: the holder (or another key), the
 * KB-JWT `aud`, the nonce and the holder's clock. Defaults to a valid one for the affiliate.
 */
export async function presentAs(
  backend: TestBackend,
  held: Pick<HeldCredential, 'credential' | 'holder'>,
  keyBinding: { nonce: string; origin: string; holder?: GeneratedKeyPair; clock?: Clock },
  disclose: string[] = ['address'],
): Promise<string> {
  return presentCredential({
    credential: held.credential,
    disclose,
    keyBinding: {
      holder: keyBinding.holder ?? held.holder,
      origin: keyBinding.origin,
      nonce: keyBinding.nonce,
      clock: keyBinding.clock ?? backend.clock,
    },
  });
}

/** The 201 body of `POST /v1/redemptions`, as far as the suites read it. */
export interface RedemptionBody {
  id: string;
  credential_id: string;
  benefit: { id: string; title: string };
  billing: { amount: number; currency: string; billing_ref: string };
  redeemed_at: string;
  receipt: string;
}

/** Redeems a held credential once at the affiliate (201 asserted); returns the redemption body. */
export async function redeemOnce(
  backend: TestBackend,
  affiliate: TestAffiliate,
  held: HeldCredential,
  extra: Record<string, unknown> = {},
): Promise<RedemptionBody> {
  const body = { ...(await presentTo(backend, affiliate, held)), ...extra };
  const response = await redeem(backend, affiliate, body);
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

/** A second affiliate with its own benefit, made with an existing admin token. */
export async function createAffiliate(
  backend: TestBackend,
  adminToken: string,
  options: { origins?: string[]; benefit?: Record<string, unknown>; name?: string } = {},
): Promise<{ affiliate: TestAffiliate; benefitId: string }> {
  const origins = options.origins ?? [`https://shop-${randomUUID().slice(0, 8)}.example`];
  const created = await backend.request('POST', '/v1/admin/affiliates', {
    token: adminToken,
    body: { name: options.name ?? 'Other Shop', origins, redeem_url: `${origins[0]}/redeem` },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const benefit = await backend.request('POST', '/v1/admin/benefits', {
    token: adminToken,
    body: {
      affiliate_id: created.body.id,
      kind: 'product_discount',
      title: '5 % off',
      terms: { percent_off: 5 },
      price: { amount: 100, currency: 'EUR' },
      ...options.benefit,
    },
  });
  assert.equal(benefit.status, 201, JSON.stringify(benefit.body));
  return {
    affiliate: { id: created.body.id, apiKey: created.body.api_key, origin: origins[0] as string },
    benefitId: benefit.body.id,
  };
}

/** A link credential (§9): no holder key, protected by `pin`. */
export async function issueLinkCredential(
  backend: TestBackend,
  benefitId: string,
  pin: string,
  member?: TestMember,
): Promise<{ member: TestMember; credentialId: string; credential: string; link: string | null }> {
  const owner = member ?? (await signUpMember(backend));
  const issued = await backend.request('POST', '/v1/credentials', {
    token: owner.token,
    body: { benefit_id: benefitId, pin },
  });
  assert.equal(issued.status, 201, JSON.stringify(issued.body));
  return { member: owner, credentialId: issued.body.id, credential: issued.body.credential, link: issued.body.link };
}

/**
 * Re-signs a credential's issuer JWT with the club's current key after changing its header `typ`
 * or its claims (`undefined` removes one): a credential the club really signed, but with a defect.
 */
export async function resignCredential(
  backend: TestBackend,
  credential: string,
  change: { typ?: string; claims?: Record<string, unknown> },
): Promise<string> {
  const decoded = decodeCredential(credential);
  const payload: Record<string, unknown> = { ...decoded.payload };
  for (const [name, value] of Object.entries(change.claims ?? {})) {
    if (value === undefined) delete payload[name];
    else payload[name] = value;
  }
  const jwt = await signClubJwt(await backend.keyRing.current(), change.typ ?? 'dc+sd-jwt', payload);
  return `${jwt}~${decoded.disclosures.map((d) => `${d.encoded}~`).join('')}`;
}

/** base64url(JSON), for hand-made token segments. */
export function encodeJsonSegment(value: unknown): string {
  return encodeBase64url(JSON.stringify(value));
}
