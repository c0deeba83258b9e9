/**
 * Web origins and the club address. Pure functions: no browser globals, so they run under Node.
 *
 * The extension acts on a page only when the page's origin, as the browser reports it, is exactly
 * one of the origins in the club's signed directory (PROTOCOL.md §9). "Exactly" means string
 * equality of serialized origins: no prefix, suffix, wildcard or case-folding tricks.
 */

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True for the hosts PROTOCOL.md §8 lets use plain http: localhost, 127.0.0.0/8 and [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  if (LOOPBACK_HOSTS.has(hostname)) return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * The serialized origin of `value` when it is already an exact http(s) origin
 * (`scheme://host[:port]` with nothing after it and in canonical form), else null.
 * A directory entry that is not canonical can never equal a browser-reported origin, so it is dropped.
 */
export function canonicalOrigin(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return url.origin === value ? value : null;
}

/** Exact origin equality, refusing opaque origins ("null") and anything that is not http(s). */
export function sameOrigin(pageOrigin: string, listedOrigin: string): boolean {
  return canonicalOrigin(pageOrigin) !== null && pageOrigin === listedOrigin;
}

export type ClubUrlResult = { ok: true; url: string } | { ok: false; message: string };

/**
 * Checks and normalizes the club address typed on the options page: an https origin, or http on
 * a loopback host (the local demo). A path is not allowed: the API lives at the root.
 * The result has no trailing slash, e.g. `http://127.0.0.1:8080`.
 */
export function parseClubUrl(input: string): ClubUrlResult {
  const trimmed = input.trim().replace(/\/+$/, '');
  if (trimmed === '') return { ok: false, message: 'Enter the club address, for example https://club.example.' };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, message: 'Enter a full address starting with https://' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, message: 'The club address must start with https://' };
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return { ok: false, message: 'Use https:// (plain http is only allowed for a club on this computer).' };
  }
  if (url.username || url.password) return { ok: false, message: 'The address must not contain a user name.' };
  if (url.pathname !== '/' || url.search || url.hash) {
    return { ok: false, message: 'Enter the club address only, without a path (like https://club.example).' };
  }
  return { ok: true, url: url.origin };
}

/** The match pattern that grants host access to one origin, for `permissions.request`. */
export function originPattern(origin: string): string {
  const url = new URL(origin);
  // Chrome match patterns ignore the port when none is given, so the host alone covers it.
  return `${url.protocol}//${url.hostname}/*`;
}

/** What the browser tells the background about who sent a message (`runtime.MessageSender`). */
export interface SenderInfo {
  id?: string | undefined;
  url?: string | undefined;
  origin?: string | undefined;
  frameId?: number | undefined;
  tab?: { id?: number | undefined } | undefined;
}

/**
 * The origin of a top-frame page that sent a message, as the browser reports it: `sender.origin`,
 * or the origin of `sender.url` where the browser gives no `origin` (Firefox). Null for frames,
 * for senders outside a tab, and for anything that is not an http(s) origin.
 */
export function topFrameOrigin(sender: SenderInfo): string | null {
  if (sender.frameId !== 0 || typeof sender.tab?.id !== 'number') return null;
  let origin: string | undefined = sender.origin;
  if (origin === undefined && typeof sender.url === 'string') {
    try {
      origin = new URL(sender.url).origin;
    } catch {
      return null;
    }
  }
  return origin !== undefined && canonicalOrigin(origin) !== null ? origin : null;
}

/**
 * True when a message comes from one of the extension's own pages (popup, options, consent
 * window), never from a content script: a content script's sender URL is the web page's.
 * `extensionBaseUrl` is `runtime.getURL('/')`, e.g. `chrome-extension://<id>/`.
 */
export function isExtensionPageSender(sender: SenderInfo, extensionId: string, extensionBaseUrl: string): boolean {
  if (sender.id !== extensionId) return false;
  if (typeof sender.url !== 'string' || !sender.url.startsWith(extensionBaseUrl)) return false;
  if (sender.origin !== undefined && `${sender.origin}/` !== extensionBaseUrl) return false;
  return true;
}
