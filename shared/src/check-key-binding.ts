import { CLOCK_SKEW_SECONDS } from './check-credential-claims.js';
import { sha256Base64url, utf8 } from './encoding.js';
import { ClubpassError } from './errors.js';
import type { ParsedJws } from './parse-presentation.js';
import { importPublicJwk, parsePublicJwk } from './public-jwk.js';
import { KEY_BINDING_TYP } from './types.js';
import { verifySignature } from './verify-signature.js';

/** How old a KB-JWT may be (PROTOCOL.md §5 rule 12). */
export const KEY_BINDING_MAX_AGE_SECONDS = 300;

export interface KeyBindingExpectations {
  /** The web origin the presentation must be bound to; null only where none is expected (link credentials). */
  origin: string | null;
  /** The nonce the presentation must carry; null only where none is expected (link credentials). */
  nonce: string | null;
  nowSeconds: number;
}

export interface KeyBindingClaims {
  iat: number;
  aud: string;
  nonce: string;
}

function bad(message: string): never {
  throw new ClubpassError('invalid_key_binding', message);
}

/**
 * Starts checking the KB-JWT signature against the holder key named in the (not yet verified)
 * credential, so that WebCrypto works on it while the issuer signature is checked. The answer is
 * only used by {@link checkKeyBinding}, after the issuer signature and claims have passed, which
 * keeps the order of §5; it is null when there is nothing to check yet. Never rejects.
 */
export function startHolderSignatureCheck(cnf: unknown, keyBinding: ParsedJws | null): Promise<boolean | null> {
  const jwk = typeof cnf === 'object' && cnf !== null ? (cnf as { jwk?: unknown }).jwk : undefined;
  if (jwk === undefined || keyBinding === null) return Promise.resolve(null);
  return (async () => {
    try {
      const holder = parsePublicJwk(jwk, 'invalid_claims');
      if (keyBinding.header.alg !== holder.alg) return null;
      const key = await importPublicJwk(holder, 'invalid_key_binding');
      return await verifySignature(holder.alg, key, utf8(keyBinding.signingInput), keyBinding.signature);
    } catch {
      return null;
    }
  })();
}

/**
 * Rules 11 and 12 of PROTOCOL.md §5. A credential with `cnf` needs a KB-JWT signed by that key,
 * over this exact presentation (`sd_hash`), for the expected origin and nonce, made in the last
 * five minutes. A credential without `cnf` must not carry one.
 */
export async function checkKeyBinding(
  cnfJwk: unknown,
  keyBinding: ParsedJws | null,
  sdHashInput: string,
  expect: KeyBindingExpectations,
  /** The result of {@link startHolderSignatureCheck} on the same credential and KB-JWT, if started. */
  holderSignature: Promise<boolean | null> = Promise.resolve(null),
): Promise<KeyBindingClaims | null> {
  if (cnfJwk === undefined) {
    if (keyBinding !== null) bad('a credential without a holder key cannot carry a KB-JWT');
    return null;
  }
  if (keyBinding === null) throw new ClubpassError('holder_binding_required', 'the presentation has no KB-JWT');
  const { header, payload } = keyBinding;
  if (header.typ !== KEY_BINDING_TYP) bad(`the KB-JWT "typ" is not "${KEY_BINDING_TYP}"`);
  if ('crit' in header) bad('a "crit" header is not accepted');
  const holder = parsePublicJwk(cnfJwk, 'invalid_claims');
  if (header.alg !== holder.alg) bad('the KB-JWT algorithm does not match the holder key');
  let signed = await holderSignature;
  if (signed === null) {
    const key = await importPublicJwk(holder, 'invalid_key_binding');
    signed = await verifySignature(holder.alg, key, utf8(keyBinding.signingInput), keyBinding.signature);
  }
  if (!signed) bad('the KB-JWT is not signed by the holder key');
  if (payload.sd_hash !== (await sha256Base64url(sdHashInput))) bad('the KB-JWT "sd_hash" does not match');
  if (expect.origin === null || payload.aud !== expect.origin) {
    throw new ClubpassError('origin_mismatch', 'the presentation was made for another origin');
  }
  if (expect.nonce === null || payload.nonce !== expect.nonce) {
    throw new ClubpassError('nonce_mismatch', 'the presentation carries another nonce');
  }
  const iat = payload.iat;
  if (typeof iat !== 'number' || !Number.isFinite(iat)) bad('the KB-JWT "iat" is not a number');
  if (iat < expect.nowSeconds - KEY_BINDING_MAX_AGE_SECONDS || iat > expect.nowSeconds + CLOCK_SKEW_SECONDS) {
    throw new ClubpassError('key_binding_expired', 'the KB-JWT is too old or from the future');
  }
  return { iat, aud: payload.aud as string, nonce: payload.nonce as string };
}
