/**
 * The verified partner directory, cached in memory and in IndexedDB until it expires, refreshed by
 * an alarm and, at most every few minutes, when a page's origin is not in it (a new partner).
 */
import { ClubClient, unwrap } from '../lib/club-client.js';
import { type Directory, isDirectoryUsable, loadDirectory as verifyDirectory } from '../lib/directory.js';
import { loadDirectory, saveDirectory } from './stores.js';

const clock = { now: () => new Date() };
/** A lookup miss refetches the directory only if the cached one is older than this. */
export const MISS_REFRESH_MS = 5 * 60 * 1000;

let memory: Directory | null | undefined;
let inflight: Promise<Directory | null> | null = null;
let lastError: string | null = null;
let lastFailureAt = 0;
/** After a failed fetch, automatic refreshes wait this long (an explicit refresh does not). */
const FAILURE_BACKOFF_MS = 30 * 1000;

async function cached(): Promise<Directory | null> {
  if (memory === undefined) memory = await loadDirectory();
  return memory;
}

export function directoryError(): string | null {
  return lastError;
}

/** Fetches and verifies the directory now; on failure keeps the old one (until it expires). */
export function refreshDirectory(clubUrl: string, force = false): Promise<Directory | null> {
  if (inflight) return inflight;
  if (!force && Date.now() - lastFailureAt < FAILURE_BACKOFF_MS) {
    return cached().then((old) => (isDirectoryUsable(old, clubUrl, clock.now()) ? old : null));
  }
  const cache: RequestCache | undefined = force ? 'no-cache' : undefined;
  const client = new ClubClient(clubUrl, (input, init) => fetch(input, init));
  inflight = (async () => {
    try {
      const directory = await verifyDirectory(
        clubUrl,
        {
          discovery: async () => unwrap(await client.discovery(cache)),
          jwks: async () => unwrap(await client.jwks(cache)),
          directoryToken: async () => unwrap(await client.directory(cache)),
        },
        clock,
      );
      memory = directory;
      lastError = null;
      lastFailureAt = 0;
      await saveDirectory(directory);
      return directory;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
      lastFailureAt = Date.now();
      const old = await cached();
      return isDirectoryUsable(old, clubUrl, clock.now()) ? old : null;
    } finally {
      inflight = null;
    }
  })();
  return inflight;
}

/** A usable directory for `clubUrl`, fetching one if there is none. */
export async function currentDirectory(clubUrl: string): Promise<Directory | null> {
  const directory = await cached();
  if (isDirectoryUsable(directory, clubUrl, clock.now())) return directory;
  return refreshDirectory(clubUrl);
}

/** Whether a miss should refetch: the cached directory is older than {@link MISS_REFRESH_MS}. */
export function staleForMiss(directory: Directory | null, now: Date): boolean {
  return directory === null || now.getTime() - directory.fetchedAt > MISS_REFRESH_MS;
}

export async function forgetDirectory(): Promise<void> {
  memory = null;
  lastError = null;
  lastFailureAt = 0;
  await saveDirectory(null);
}
