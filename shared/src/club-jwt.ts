import { CompactSign } from 'jose';
import { checkIssuerSignature } from './check-issuer-signature.js';
import { utf8 } from './encoding.js';
import { ClubpassError } from './errors.js';
import { parseCompactJws } from './parse-presentation.js';
import type { Clock, SigningKey, TrustedKeySet } from './types.js';

/** `typ` of the signed directory (PROTOCOL.md §9). */
export const DIRECTORY_TYP = 'clubpass-directory+jwt';
/** `typ` of a redemption receipt (PROTOCOL.md §7). */
export const RECEIPT_TYP = 'clubpass-receipt+jwt';

/**
 * Signs a club statement (the directory, a receipt) as a compact JWS with an explicit `typ`,
 * so one kind of statement can never be passed off as another.
 */
export async function signClubJwt(signer: SigningKey, typ: string, payload: Record<string, unknown>): Promise<string> {
  return new CompactSign(utf8(JSON.stringify(payload)))
    .setProtectedHeader({ alg: signer.alg, typ, kid: signer.kid })
    .sign(signer.privateKey);
}

export interface VerifyClubJwtOptions {
  keys: TrustedKeySet;
  typ: string;
  issuer: string;
  clock: Clock;
}

/**
 * Verifies a club statement: allowlisted algorithm, exact `typ`, a trusted `kid`, the signature,
 * the issuer, and `exp` if present (with no skew beyond 60 s).
 */
export async function verifyClubJwt(token: unknown, options: VerifyClubJwtOptions): Promise<Record<string, unknown>> {
  if (typeof token !== 'string') throw new ClubpassError('malformed_credential', 'the token is not a string');
  const jws = parseCompactJws(token);
  await checkIssuerSignature(jws, options.keys, options.typ);
  if (jws.payload.iss !== options.issuer)
    throw new ClubpassError('wrong_issuer', 'the statement is not from this club');
  const exp = jws.payload.exp;
  const nowSeconds = Math.floor(options.clock.now().getTime() / 1000);
  if (exp !== undefined && (typeof exp !== 'number' || exp <= nowSeconds - 60)) {
    throw new ClubpassError('credential_expired', 'the statement has expired');
  }
  return jws.payload;
}
