import { DIRECTORY_TYP, verifyClubJwt } from './club-jwt.js';
import { isObject } from './encoding.js';
import { ClubpassError } from './errors.js';
import type { Clock, TrustedKeySet } from './types.js';

/** A directory may be valid for at most 24 h (PROTOCOL.md §9). */
export const DIRECTORY_MAX_LIFETIME_SECONDS = 24 * 3600;

export interface DirectoryEntry {
  id: string;
  name: string;
  origins: string[];
}

export interface VerifiedDirectory {
  iat: number;
  exp: number;
  affiliates: DirectoryEntry[];
}

/**
 * Verifies the club's signed directory (PROTOCOL.md §9): a club statement of type
 * `clubpass-directory+jwt` that must carry `exp`, at most 24 h ahead, and a well-formed list of
 * affiliates. The extension acts only on origins listed in a directory that passed this.
 */
export async function verifyDirectory(
  token: unknown,
  options: { keys: TrustedKeySet; issuer: string; clock: Clock },
): Promise<VerifiedDirectory> {
  const payload = await verifyClubJwt(token, { ...options, typ: DIRECTORY_TYP });
  const nowSeconds = Math.floor(options.clock.now().getTime() / 1000);
  const { iat, exp, affiliates } = payload;
  if (typeof exp !== 'number' || typeof iat !== 'number')
    throw new ClubpassError('invalid_claims', 'the directory has no exp or iat');
  if (exp > nowSeconds + DIRECTORY_MAX_LIFETIME_SECONDS + 60) {
    throw new ClubpassError('invalid_claims', 'the directory claims to be valid for more than 24 h');
  }
  if (!Array.isArray(affiliates)) throw new ClubpassError('invalid_claims', 'the directory has no affiliates list');
  const entries = affiliates.map((entry: unknown): DirectoryEntry => {
    if (
      !isObject(entry) ||
      typeof entry.id !== 'string' ||
      typeof entry.name !== 'string' ||
      !Array.isArray(entry.origins) ||
      !entry.origins.every((o) => typeof o === 'string')
    ) {
      throw new ClubpassError('invalid_claims', 'a directory entry is malformed');
    }
    return { id: entry.id, name: entry.name, origins: [...(entry.origins as string[])] };
  });
  return { iat, exp, affiliates: entries };
}
