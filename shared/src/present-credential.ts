import { CompactSign } from 'jose';
import { decodeCredential } from './decode-credential.js';
import { sha256Base64url, utf8 } from './encoding.js';
import { ClubpassError } from './errors.js';
import { type Clock, type HolderKey, KEY_BINDING_TYP } from './types.js';

export interface KeyBindingInput {
  /** The holder's private key (may be non-extractable). */
  holder: HolderKey;
  /** The page's origin as the browser reports it, never a value the page supplied. */
  origin: string;
  /** The affiliate's nonce from `POST /v1/nonces`. */
  nonce: string;
  clock: Clock;
}

export interface PresentCredentialInput {
  credential: string;
  /** Names of the claims the member agreed to share; the others stay hidden. */
  disclose: readonly string[];
  /** Required for a credential with `cnf`; null only for a link credential. */
  keyBinding: KeyBindingInput | null;
}

/**
 * Builds a presentation (PROTOCOL.md §4): the issuer-signed JWT, the chosen disclosures and, for
 * a holder-bound credential, a KB-JWT over all of it.
 */
export async function presentCredential(input: PresentCredentialInput): Promise<string> {
  const decoded = decodeCredential(input.credential);
  const wanted = new Set(input.disclose);
  const chosen = decoded.disclosures.filter((d) => wanted.has(d.name));
  const prefix = `${decoded.issuerJwt}~${chosen.map((d) => `${d.encoded}~`).join('')}`;
  const holderBound = decoded.payload.cnf !== undefined;
  if (!holderBound) {
    if (input.keyBinding !== null) throw new ClubpassError('invalid_request', 'a link credential takes no key binding');
    return prefix;
  }
  if (input.keyBinding === null)
    throw new ClubpassError('holder_binding_required', 'this credential needs the holder key');
  const { holder, origin, nonce, clock } = input.keyBinding;
  const payload = {
    iat: Math.floor(clock.now().getTime() / 1000),
    aud: origin,
    nonce,
    sd_hash: await sha256Base64url(prefix),
  };
  const kbJwt = await new CompactSign(utf8(JSON.stringify(payload)))
    .setProtectedHeader({ alg: holder.alg, typ: KEY_BINDING_TYP })
    .sign(holder.privateKey);
  return `${prefix}${kbJwt}`;
}
