import { utf8 } from './encoding.js';
import { ClubpassError } from './errors.js';
import type { ParsedJws } from './parse-presentation.js';
import { SIGNING_ALGORITHMS, type SigningAlgorithm, type TrustedKey, type TrustedKeySet } from './types.js';
import { verifySignature } from './verify-signature.js';

/** True when `alg` is on the allowlist. `none`, `HS*` and all else are refused whatever their spelling. */
export function isAllowedAlgorithm(alg: unknown): alg is SigningAlgorithm {
  return typeof alg === 'string' && (SIGNING_ALGORITHMS as readonly string[]).includes(alg);
}

/**
 * Rules 3-5 of PROTOCOL.md §5 for a club-signed JWS: allowlisted `alg`, the expected `typ`, no
 * `crit`, a `kid` in the trusted set, a valid signature. Header members that point at keys
 * (`jwk`, `jku`, `x5u`, `x5c`) are ignored: keys come only from `keys`, so nothing is fetched.
 */
export async function checkIssuerSignature(
  jws: ParsedJws,
  keys: TrustedKeySet,
  expectedTyp: string,
): Promise<TrustedKey> {
  const { header } = jws;
  if (!isAllowedAlgorithm(header.alg)) {
    throw new ClubpassError('unsupported_algorithm', `algorithm ${JSON.stringify(header.alg)} is not accepted`);
  }
  if (header.typ !== expectedTyp) throw new ClubpassError('invalid_type', `the header "typ" is not "${expectedTyp}"`);
  if ('crit' in header) throw new ClubpassError('malformed_credential', 'a "crit" header is not accepted');
  const kid = header.kid;
  const key = typeof kid === 'string' ? keys.get(kid) : undefined;
  if (key === undefined) throw new ClubpassError('unknown_key', 'the "kid" is not one of the club\'s keys');
  const valid =
    key.alg === header.alg && (await verifySignature(key.alg, key.key, utf8(jws.signingInput), jws.signature));
  if (!valid) throw new ClubpassError('invalid_signature', 'the signature does not verify');
  return key;
}
