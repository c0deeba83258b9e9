/**
 * Where the background keeps things:
 * - the session token: `storage.session`, restricted to trusted contexts (never content scripts),
 *   gone when the browser closes;
 * - credentials, the holder key, the club address and the directory cache: the extension's
 *   IndexedDB (see idb.ts), which only the extension's own origin can open.
 */
import { browser } from 'wxt/browser';
import type { Member } from '../lib/club-client.js';
import type { StoredCredential } from '../lib/credentials.js';
import type { Directory } from '../lib/directory.js';
import { idbDelete, idbGet, idbGetAll, idbPut } from './idb.js';

export const DEFAULT_CLUB_URL = 'http://127.0.0.1:8080';

/** Content scripts get no access to `storage.session` (Chrome's default, made explicit here). */
export async function lockSessionStorage(): Promise<void> {
  const area = browser.storage.session as typeof browser.storage.session & {
    setAccessLevel?: (options: { accessLevel: 'TRUSTED_CONTEXTS' }) => Promise<void>;
  };
  if (typeof area.setAccessLevel === 'function') await area.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
}

export interface SessionRecord {
  clubUrl: string;
  token: string;
  expiresAt: string;
  member: Member;
}

export async function loadSession(clubUrl: string, now: Date): Promise<SessionRecord | null> {
  const { session } = (await browser.storage.session.get('session')) as { session?: SessionRecord };
  if (!session || session.clubUrl !== clubUrl) return null;
  if (Date.parse(session.expiresAt) <= now.getTime()) {
    await clearSession();
    return null;
  }
  return session;
}

export async function saveSession(session: SessionRecord): Promise<void> {
  await browser.storage.session.set({ session });
}

export async function clearSession(): Promise<void> {
  await browser.storage.session.remove('session');
}

export async function loadClubUrl(): Promise<string> {
  return (await idbGet<string>('meta', 'clubUrl')) ?? DEFAULT_CLUB_URL;
}

export async function saveClubUrl(url: string): Promise<void> {
  await idbPut('meta', url, 'clubUrl');
}

export async function loadDirectory(): Promise<Directory | null> {
  return (await idbGet<Directory>('meta', 'directory')) ?? null;
}

export async function saveDirectory(directory: Directory | null): Promise<void> {
  if (directory === null) await idbDelete('meta', 'directory');
  else await idbPut('meta', directory, 'directory');
}

export function allCredentials(): Promise<StoredCredential[]> {
  return idbGetAll<StoredCredential>('credentials');
}

export async function putCredential(credential: StoredCredential): Promise<void> {
  await idbPut('credentials', credential);
}

/**
 * The browser profile belongs to the member who signed in last. When another member signs in, the
 * previous member's credentials are removed from this browser (the club still lists them, and an
 * unredeemed one can be fetched again from the browser that holds its key).
 */
export async function adoptOwner(memberId: string): Promise<number> {
  await idbPut('meta', memberId, 'owner');
  let removed = 0;
  for (const credential of await allCredentials()) {
    if (credential.memberId !== memberId) {
      await idbDelete('credentials', credential.id);
      removed++;
    }
  }
  return removed;
}
