/**
 * The club's signed partner directory (PROTOCOL.md §9): fetched by the background, verified with
 * the club's JWKS, cached until it expires. Pure: the fetching is injected.
 */
import { type Clock, ClubpassError, DIRECTORY_TYP, importJwks, verifyClubJwt } from '@clubpass/shared';
import { canonicalOrigin, sameOrigin } from './origins.js';

export interface DirectoryAffiliate {
  id: string;
  name: string;
  origins: string[];
}

/** A verified directory as the extension keeps it. Times are milliseconds since the epoch. */
export interface Directory {
  /** The club address it was fetched from: a cache for another club is never used. */
  clubUrl: string;
  issuer: string;
  affiliates: DirectoryAffiliate[];
  issuedAt: number;
  /** When the cache stops being used: the directory's `exp`, and never more than 24 h after fetching. */
  expiresAt: number;
  fetchedAt: number;
}

/** PROTOCOL.md §9: a directory's `exp` is at most 24 h ahead. */
export const MAX_DIRECTORY_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Fetches the three public documents the directory check needs; injected so tests need no network. */
export interface DirectorySource {
  discovery(): Promise<unknown>;
  jwks(): Promise<unknown>;
  directoryToken(): Promise<string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the affiliates out of a verified directory payload. An entry without a string id and name
 * is dropped, and so is every origin that is not an exact, canonical http(s) origin.
 */
export function parseAffiliates(value: unknown): DirectoryAffiliate[] {
  if (!Array.isArray(value)) throw new ClubpassError('invalid_claims', 'the directory has no "affiliates" list');
  const affiliates: DirectoryAffiliate[] = [];
  for (const entry of value) {
    if (!isRecord(entry) || typeof entry.id !== 'string' || typeof entry.name !== 'string') continue;
    if (!Array.isArray(entry.origins)) continue;
    const origins = entry.origins.filter((o): o is string => canonicalOrigin(o) !== null);
    affiliates.push({ id: entry.id, name: entry.name, origins });
  }
  return affiliates;
}

/**
 * Fetches and verifies the directory: the issuer comes from `/.well-known/clubpass`, the keys from
 * the JWKS, and the token must be a `clubpass-directory+jwt` from that issuer with an `exp`.
 *
 * @throws ClubpassError when anything does not verify; nothing is cached then.
 */
export async function loadDirectory(clubUrl: string, source: DirectorySource, clock: Clock): Promise<Directory> {
  const discovery = await source.discovery();
  if (!isRecord(discovery) || typeof discovery.issuer !== 'string' || discovery.issuer === '') {
    throw new ClubpassError('invalid_request', 'the club discovery document has no issuer');
  }
  const issuer = discovery.issuer;
  const keys = await importJwks(await source.jwks());
  const payload = await verifyClubJwt(await source.directoryToken(), { keys, typ: DIRECTORY_TYP, issuer, clock });
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) {
    throw new ClubpassError('invalid_claims', 'the directory has no expiry');
  }
  const now = clock.now().getTime();
  const expiresAt = Math.min(payload.exp * 1000, now + MAX_DIRECTORY_LIFETIME_MS);
  if (expiresAt <= now) throw new ClubpassError('credential_expired', 'the directory has expired');
  return {
    clubUrl,
    issuer,
    affiliates: parseAffiliates(payload.affiliates),
    issuedAt: typeof payload.iat === 'number' ? payload.iat * 1000 : now,
    expiresAt,
    fetchedAt: now,
  };
}

/** True while a cached directory may be used for `clubUrl`. */
export function isDirectoryUsable(directory: Directory | null, clubUrl: string, now: Date): directory is Directory {
  return directory !== null && directory.clubUrl === clubUrl && directory.expiresAt > now.getTime();
}

/** The affiliates listing exactly this origin (usually one). */
export function affiliatesForOrigin(directory: Directory, origin: string): DirectoryAffiliate[] {
  return directory.affiliates.filter((a) => a.origins.some((listed) => sameOrigin(origin, listed)));
}

/** When to refresh next: an hour from now, or 5 minutes before the cache expires if that is sooner. */
export function nextRefreshAt(directory: Directory | null, now: Date): number {
  const hourly = now.getTime() + 60 * 60 * 1000;
  if (directory === null) return now.getTime() + 5 * 60 * 1000;
  return Math.max(now.getTime() + 60 * 1000, Math.min(hourly, directory.expiresAt - 5 * 60 * 1000));
}
