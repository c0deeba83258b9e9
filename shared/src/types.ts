import type { JWK } from 'jose';

/** Signature algorithms Clubpass accepts anywhere (PROTOCOL.md §2). Nothing else is ever verified. */
export const SIGNING_ALGORITHMS = ['EdDSA', 'ES256'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

export const CREDENTIAL_TYPE = 'urn:clubpass:benefit:1';
export const CREDENTIAL_TYP = 'dc+sd-jwt';
export const KEY_BINDING_TYP = 'kb+jwt';
export const SD_ALG = 'sha-256';

/** Claims that are issued as selective disclosures (PROTOCOL.md §3). */
export const DISCLOSABLE_CLAIMS = [
  'membership_number',
  'given_name',
  'family_name',
  'email',
  'phone_number',
  'address',
] as const;
export type DisclosableClaim = (typeof DISCLOSABLE_CLAIMS)[number];

export const BENEFIT_KINDS = [
  'prize',
  'product_discount',
  'service_discount',
  'free_goods',
  'free_services',
  'exclusive_access',
] as const;
export type BenefitKind = (typeof BENEFIT_KINDS)[number];

/** Money in integer minor units with an ISO 4217 currency (PROTOCOL.md §1). */
export interface Money {
  amount: number;
  currency: string;
}

export interface BenefitTerms {
  percent_off?: number;
  amount_off?: Money;
  description?: string;
  access_url?: string;
}

export interface BenefitClaim {
  id: string;
  kind: BenefitKind;
  title: string;
  terms: BenefitTerms;
}

export interface Address {
  street_address?: string;
  locality?: string;
  region?: string;
  postal_code?: string;
  country?: string;
}

export type DisclosedClaims = Partial<{
  membership_number: string;
  given_name: string;
  family_name: string;
  email: string;
  phone_number: string;
  address: Address;
}>;

/** The always-visible claims of a credential's issuer-signed JWT (PROTOCOL.md §3). */
export interface CredentialClaims {
  iss: string;
  aud: string;
  sub: string;
  jti: string;
  iat: number;
  nbf?: number;
  exp: number;
  vct: typeof CREDENTIAL_TYPE;
  benefit: BenefitClaim;
  billing_ref: string;
  cnf?: { jwk: JWK };
  pin?: true;
}

/** A source of the current time. Injected everywhere so tests can freeze it. */
export interface Clock {
  now(): Date;
}

/** A private signing key with the identifiers that go into the JWS header. */
export interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: CryptoKey;
}

/** A holder's private key: in the extension a non-extractable WebCrypto key. */
export interface HolderKey {
  alg: SigningAlgorithm;
  privateKey: CryptoKey;
}

/** A public key trusted for verification, indexed by `kid` in a {@link TrustedKeySet}. */
export interface TrustedKey {
  kid: string;
  alg: SigningAlgorithm;
  key: CryptoKey;
  jwk: JWK;
}

/** The issuer keys a verifier trusts, by `kid`. A Map, so `kid` strings like `__proto__` are inert. */
export type TrustedKeySet = ReadonlyMap<string, TrustedKey>;
