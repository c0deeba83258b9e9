import type { JWK } from 'jose';
import { checkCredentialClaims, holderJwkOf } from './check-credential-claims.js';
import { checkDisclosures } from './check-disclosures.js';
import { checkIssuerSignature } from './check-issuer-signature.js';
import { checkKeyBinding, type KeyBindingClaims, startHolderSignatureCheck } from './check-key-binding.js';
import { parsePresentation } from './parse-presentation.js';
import { type Clock, CREDENTIAL_TYP, type CredentialClaims, type TrustedKeySet } from './types.js';

/**
 * What a verifier must say it expects. Every member is required: a verifier cannot forget the
 * issuer, the audience, the origin or the nonce by leaving them out.
 */
export interface VerifyPresentationOptions {
  /** The club's trusted signing keys (from its JWKS); keys named in headers are never used. */
  keys: TrustedKeySet;
  /** The club's issuer URL. */
  issuer: string;
  /** The verifying affiliate's id: the credential's `aud`. */
  audience: string;
  /** The web origin the KB-JWT must name; null only when the caller accepts link credentials without one. */
  origin: string | null;
  /** The nonce the KB-JWT must carry; null only when the caller accepts link credentials without one. */
  nonce: string | null;
  clock: Clock;
}

export interface VerifiedPresentation {
  /** The always-visible claims, without `_sd` and `_sd_alg`. */
  claims: Omit<CredentialClaims, 'cnf'>;
  /** The personal details the member chose to disclose. */
  disclosed: Record<string, unknown>;
  jti: string;
  /** The holder key, or null for a link credential. */
  cnf: { jwk: JWK } | null;
  keyBinding: KeyBindingClaims | null;
  /** The `kid` of the club key that signed the credential. */
  kid: string;
}

/**
 * Verifies a Clubpass presentation by every offline rule of PROTOCOL.md §5, in order (1-12).
 * This is the club's verifier and the affiliates' offline verifier alike.
 *
 * @throws ClubpassError with the code of the first rule that fails; nothing else for bad input.
 */
export async function verifyPresentation(
  presentation: unknown,
  options: VerifyPresentationOptions,
): Promise<VerifiedPresentation> {
  const nowSeconds = Math.floor(options.clock.now().getTime() / 1000);
  const parsed = parsePresentation(presentation);
  const payload = parsed.issuerJwt.payload;
  // Both signatures are checked at once (WebCrypto runs them off the main thread); the holder's
  // result is only looked at in rule 12, after everything before it has passed.
  const holderSignature = startHolderSignatureCheck(payload.cnf, parsed.keyBinding);
  const key = await checkIssuerSignature(parsed.issuerJwt, options.keys, CREDENTIAL_TYP);
  const claims = checkCredentialClaims(payload, { issuer: options.issuer, audience: options.audience, nowSeconds });
  const disclosed = await checkDisclosures(payload, parsed.disclosures);
  const keyBinding = await checkKeyBinding(
    payload.cnf === undefined ? undefined : claims.cnf?.jwk,
    parsed.keyBinding,
    parsed.sdHashInput,
    {
      origin: options.origin,
      nonce: options.nonce,
      nowSeconds,
    },
    holderSignature,
  );
  const holderJwk = holderJwkOf(claims);
  const {
    _sd: _digests,
    _sd_alg: _alg,
    cnf: _cnf,
    ...visible
  } = claims as CredentialClaims & { _sd?: unknown; _sd_alg?: unknown };
  return {
    claims: visible,
    disclosed,
    jti: claims.jti,
    cnf: holderJwk === null ? null : { jwk: holderJwk },
    keyBinding,
    kid: key.kid,
  };
}
