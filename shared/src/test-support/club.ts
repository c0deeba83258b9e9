import type { JWK } from 'jose';
import { type GeneratedKeyPair, generateKeyPair } from '../generate-key-pair.js';
import { issueCredential } from '../issue-credential.js';
import { buildJwks, importJwks } from '../jwks.js';
import { presentCredential } from '../present-credential.js';
import {
  type Clock,
  CREDENTIAL_TYPE,
  type CredentialClaims,
  type DisclosedClaims,
  type SigningAlgorithm,
  type TrustedKeySet,
} from '../types.js';
import type { VerifyPresentationOptions } from '../verify-presentation.js';
import { clock, NOW_SECONDS } from './clock.js';

export const ISSUER = 'https://club.example';
export const AUDIENCE = 'aff_3f9c2a7d5e1b4c8a';
export const ORIGIN = 'https://shop.example';
export const NONCE = 'nonce_Zq3v9Xc1Lk7pQ2rT8yW4bA';
/** 22 base64url characters: exactly the 128 bits §3 asks of a `jti`. */
export const JTI = 'cMHM0Ug0bTfG0DfQ4mNz5A';
export const THIRTY_DAYS = 30 * 24 * 3600;

export const PERSONAL_DETAILS = {
  membership_number: 'CP-0000000018',
  given_name: 'Ada',
  family_name: 'Lovelace',
  email: 'ada@example.org',
  phone_number: '+44 20 7946 0000',
  address: {
    street_address: '12 St James Square',
    locality: 'London',
    postal_code: 'SW1Y 4JH',
    country: 'GB',
  },
} satisfies DisclosedClaims;

/** A club signing key, a member's holder key, and the key set an affiliate trusts. */
export interface TestClub {
  issuer: GeneratedKeyPair;
  holder: GeneratedKeyPair;
  keys: TrustedKeySet;
}

export async function createTestClub(
  options: { issuerAlg?: SigningAlgorithm; holderAlg?: SigningAlgorithm } = {},
): Promise<TestClub> {
  const issuer = await generateKeyPair(options.issuerAlg ?? 'EdDSA', { extractable: false });
  const holder = await generateKeyPair(options.holderAlg ?? 'EdDSA', { extractable: false });
  const keys = await importJwks(await buildJwks([issuer.publicJwk]));
  return { issuer, holder, keys };
}

/**
 * The always-visible claims of a valid credential at {@link NOW_SECONDS}. An override whose value
 * is `undefined` removes the claim, so "missing" cases read like the others.
 */
export function credentialClaims(holderJwk: JWK | null, overrides: Record<string, unknown> = {}): CredentialClaims {
  const base: Record<string, unknown> = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'pw_5bT0rWq8cXv2nM4k',
    jti: JTI,
    iat: NOW_SECONDS - 3600,
    exp: NOW_SECONDS + THIRTY_DAYS,
    vct: CREDENTIAL_TYPE,
    benefit: { id: 'ben_01', kind: 'product_discount', title: '10% off', terms: { percent_off: 10 } },
    billing_ref: 'BR-2026-000042',
    ...(holderJwk === null ? { pin: true } : { cnf: { jwk: holderJwk } }),
  };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete base[name];
    else base[name] = value;
  }
  return base as unknown as CredentialClaims;
}

/** The holder key members alone, as they go into `cnf.jwk`. */
export function holderJwk(club: TestClub): JWK {
  const { kid: _kid, alg: _alg, use: _use, ...jwk } = club.holder.publicJwk;
  return jwk;
}

export interface IssueOptions {
  /** Overrides of {@link credentialClaims}; `undefined` removes a claim. */
  claims?: Record<string, unknown>;
  /** Issue a link credential: no `cnf`, `pin: true` (unless `claims` says otherwise). */
  link?: boolean;
  disclosable?: DisclosedClaims;
}

export async function issue(club: TestClub, options: IssueOptions = {}): Promise<string> {
  return issueCredential({
    signer: club.issuer,
    claims: credentialClaims(options.link === true ? null : holderJwk(club), options.claims),
    disclosable: options.disclosable ?? PERSONAL_DETAILS,
  });
}

export interface PresentOptions {
  disclose?: readonly string[];
  origin?: string;
  nonce?: string;
  /** The holder's clock: sets the KB-JWT `iat`. */
  clock?: Clock;
  /** Sign the KB-JWT with this key instead of the holder's. */
  signWith?: GeneratedKeyPair;
}

export async function present(club: TestClub, credential: string, options: PresentOptions = {}): Promise<string> {
  const holder = options.signWith ?? club.holder;
  return presentCredential({
    credential,
    disclose: options.disclose ?? ['email', 'address'],
    keyBinding: {
      holder: { alg: holder.alg, privateKey: holder.privateKey },
      origin: options.origin ?? ORIGIN,
      nonce: options.nonce ?? NONCE,
      clock: options.clock ?? clock,
    },
  });
}

/** Issues a holder-bound credential and presents email and address, both by the library's own code. */
export async function presentation(club: TestClub, options: IssueOptions & PresentOptions = {}): Promise<string> {
  return present(club, await issue(club, options), options);
}

/** What the affiliate in these tests expects: this club, this affiliate, the frozen clock. */
export function verifyOptions(
  club: TestClub,
  overrides: Partial<VerifyPresentationOptions> = {},
): VerifyPresentationOptions {
  return { keys: club.keys, issuer: ISSUER, audience: AUDIENCE, origin: ORIGIN, nonce: NONCE, clock, ...overrides };
}
