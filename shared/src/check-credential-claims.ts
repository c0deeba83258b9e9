import type { JWK } from 'jose';
import { isObject } from './encoding.js';
import { ClubpassError } from './errors.js';
import { parsePublicJwk } from './public-jwk.js';
import { BENEFIT_KINDS, type BenefitClaim, CREDENTIAL_TYPE, type CredentialClaims, SD_ALG } from './types.js';

/** Allowed clock skew for `exp`, `nbf` and `iat` (PROTOCOL.md §5 rule 8). */
export const CLOCK_SKEW_SECONDS = 60;
const JTI = /^[A-Za-z0-9_-]{22,}$/;

export interface ClaimExpectations {
  issuer: string;
  audience: string;
  nowSeconds: number;
}

function invalid(message: string): never {
  throw new ClubpassError('invalid_claims', message);
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function checkBenefit(value: unknown): BenefitClaim {
  if (!isObject(value)) invalid('"benefit" is not an object');
  if (!nonEmptyString(value.id)) invalid('"benefit.id" is missing');
  if (!(BENEFIT_KINDS as readonly unknown[]).includes(value.kind)) invalid('"benefit.kind" is not a known kind');
  if (typeof value.title !== 'string') invalid('"benefit.title" is missing');
  if (!isObject(value.terms)) invalid('"benefit.terms" is not an object');
  return value as unknown as BenefitClaim;
}

/**
 * Rules 6-9 of PROTOCOL.md §5 on a signature-checked payload, in order: issuer and `vct`,
 * audience, time claims with 60 s of skew, then the shape of every other required claim.
 */
export function checkCredentialClaims(payload: Record<string, unknown>, expect: ClaimExpectations): CredentialClaims {
  if (payload.iss !== expect.issuer) throw new ClubpassError('wrong_issuer', 'the credential is not from this club');
  if (payload.vct !== CREDENTIAL_TYPE) throw new ClubpassError('invalid_type', `"vct" is not "${CREDENTIAL_TYPE}"`);
  if (payload.aud !== expect.audience) {
    throw new ClubpassError('wrong_audience', 'the credential is for another affiliate');
  }
  const { exp, nbf, iat } = payload;
  if (!isNumericDate(exp)) invalid('"exp" is missing or not a number');
  if (exp <= expect.nowSeconds - CLOCK_SKEW_SECONDS)
    throw new ClubpassError('credential_expired', 'the credential has expired');
  if (nbf !== undefined && !isNumericDate(nbf)) invalid('"nbf" is not a number');
  if (nbf !== undefined && nbf > expect.nowSeconds + CLOCK_SKEW_SECONDS) {
    throw new ClubpassError('credential_not_yet_valid', 'the credential is not valid yet');
  }
  if (!isNumericDate(iat)) invalid('"iat" is missing or not a number');
  if (iat > expect.nowSeconds + CLOCK_SKEW_SECONDS) invalid('"iat" is in the future');

  if (!nonEmptyString(payload.sub)) invalid('"sub" is missing');
  if (typeof payload.jti !== 'string' || !JTI.test(payload.jti)) invalid('"jti" is missing or under 128 bits');
  if (!nonEmptyString(payload.billing_ref)) invalid('"billing_ref" is missing');
  checkBenefit(payload.benefit);
  if (payload.pin !== undefined && payload.pin !== true) invalid('"pin" must be true when present');
  if (payload.cnf !== undefined) {
    if (!isObject(payload.cnf)) invalid('"cnf" is not an object');
    parsePublicJwk(payload.cnf.jwk, 'invalid_claims');
  } else if (payload.pin !== true) {
    // A link credential has no holder key; the PIN is then its only guard (PROTOCOL.md §9).
    invalid('a credential without "cnf" must have "pin": true');
  }
  if (payload._sd !== undefined) {
    if (!Array.isArray(payload._sd) || !payload._sd.every((d) => typeof d === 'string'))
      invalid('"_sd" is not a list of digests');
    if (payload._sd_alg !== SD_ALG) invalid(`"_sd_alg" is not "${SD_ALG}"`);
  }
  return payload as unknown as CredentialClaims;
}

/** The holder key a checked payload binds to, or null for a link credential. */
export function holderJwkOf(claims: CredentialClaims): JWK | null {
  return claims.cnf === undefined ? null : parsePublicJwk(claims.cnf.jwk, 'invalid_claims').jwk;
}
