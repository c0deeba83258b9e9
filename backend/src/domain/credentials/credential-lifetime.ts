import { ClubpassError } from '@clubpass/shared';
import type { IssuableBenefit } from '../../store/credential-store.js';

/** The `iat` and `exp` of a credential, in NumericDate seconds. */
export interface CredentialLifetime {
  iat: number;
  exp: number;
}

/**
 * The one answer for every benefit a member cannot get a credential for: unknown, withdrawn, not
 * started or ended all look the same, so the catalog's hidden state does not leak.
 */
export function benefitUnavailable(): ClubpassError {
  return new ClubpassError('not_found', 'the benefit was not found or is not available now');
}

/**
 * When a credential for `benefit` issued at `now` is valid: from now for the benefit's
 * `credential_ttl_seconds`, but never past its `valid_until` (PROTOCOL.md §8).
 *
 * @throws ClubpassError `not_found` when the benefit is withdrawn, has not started or has ended.
 */
export function credentialLifetime(benefit: IssuableBenefit, now: Date): CredentialLifetime {
  if (!benefit.active) throw benefitUnavailable();
  if (benefit.validFrom !== null && new Date(benefit.validFrom).getTime() > now.getTime()) throw benefitUnavailable();
  const iat = Math.floor(now.getTime() / 1000);
  let exp = iat + benefit.credentialTtlSeconds;
  if (benefit.validUntil !== null) exp = Math.min(exp, Math.floor(new Date(benefit.validUntil).getTime() / 1000));
  // A credential that would be dead on arrival is not issued at all.
  if (exp <= iat) throw benefitUnavailable();
  return { iat, exp };
}
