import { type Clock, DIRECTORY_TYP, signClubJwt } from '@clubpass/shared';
import { epochSeconds } from '../../clock.js';
import type { KeyRing } from '../../keys/key-ring.js';
import type { Store } from '../../store/store.js';

/**
 * How long a signed directory is valid. PROTOCOL.md §9 allows at most 24 h; one hour bounds how
 * long an extension keeps acting on an origin the club has since removed from an affiliate.
 */
export const DIRECTORY_LIFETIME_SECONDS = 60 * 60;

/** A signed directory and its expiry (NumericDate seconds). */
export interface SignedDirectory {
  token: string;
  expiresAt: number;
}

/**
 * Signs the partner directory (`GET /v1/directory`, PROTOCOL.md §9): a compact JWS of type
 * `clubpass-directory+jwt` with the current club key, listing every affiliate's id, name and
 * exact origins. The extension acts only on pages whose origin is in an unexpired directory.
 */
export async function signDirectory(deps: {
  store: Store;
  clock: Clock;
  keyRing: KeyRing;
  issuer: string;
}): Promise<SignedDirectory> {
  const affiliates = await deps.store.affiliates.listAll();
  const iat = epochSeconds(deps.clock);
  const exp = iat + DIRECTORY_LIFETIME_SECONDS;
  const token = await signClubJwt(await deps.keyRing.current(), DIRECTORY_TYP, {
    iss: deps.issuer,
    iat,
    exp,
    affiliates: affiliates.map((a) => ({ id: a.id, name: a.name, origins: a.origins })),
  });
  return { token, expiresAt: exp };
}
