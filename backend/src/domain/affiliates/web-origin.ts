// Web origins and URLs an affiliate registers (PROTOCOL.md §8). The extension acts on a page
// only when the page's origin, as the browser reports it, exactly equals a registered origin
// (§9), and the club compares the KB-JWT `aud` with them (§7). So an origin is accepted only in
// the one form browsers serialize, never "normalized" from something an admin meant differently.

const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * Whether a URL hostname (as `URL#hostname` serializes it) is a loopback host: `localhost`,
 * 127.0.0.0/8 or `[::1]`. Only these may use plain `http://`, for local testing.
 */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || IPV4_LOOPBACK.test(hostname);
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** Why the scheme of `url` is not allowed, or null: https anywhere, http for loopback hosts only. */
function schemeProblem(url: URL): string | null {
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:') {
    return isLoopbackHost(url.hostname)
      ? null
      : 'http:// is allowed only for loopback hosts (127.0.0.0/8, localhost, [::1]); use https://';
  }
  return 'use an https:// address';
}

/**
 * Checks that `value` is an exact web origin: `https://host[:port]`, or `http://` for a loopback
 * host; lower-case host, default port left out, and no path, trailing slash, query, fragment or
 * user info. Returns why it is not, or null when it is.
 */
export function webOriginProblem(value: string): string | null {
  const url = parseUrl(value);
  if (url === null || url.host === '') return 'not a web origin; write it like https://shop.example';
  const scheme = schemeProblem(url);
  if (scheme !== null) return scheme;
  if (url.origin !== value) {
    return (
      `not an exact origin; write it as ${url.origin} ` +
      '(scheme://host[:port] in lower case, default port left out, no path, trailing slash, query or fragment)'
    );
  }
  return null;
}

/**
 * Checks a URL the club sends members to (a benefit's `access_url`): https, or http for a
 * loopback host, without user info. Returns why it is not acceptable, or null.
 */
export function webUrlProblem(value: string): string | null {
  const url = parseUrl(value);
  if (url === null || url.host === '') return 'not a URL; write it like https://shop.example/members';
  const scheme = schemeProblem(url);
  if (scheme !== null) return scheme;
  if (url.username !== '' || url.password !== '') return 'a URL with a user name or password is not allowed';
  return null;
}

/**
 * Checks an affiliate's `redeem_url`: a URL on one of `origins`, with the origin written exactly
 * as registered, and no fragment, because the club appends `#clubpass=<credential>` to it for
 * link credentials (§9). Returns why it is not acceptable, or null.
 */
export function redeemUrlProblem(value: string, origins: readonly string[]): string | null {
  const problem = webUrlProblem(value);
  if (problem !== null) return problem;
  const url = new URL(value);
  const rest = value.slice(url.origin.length);
  if (!origins.includes(url.origin) || !value.startsWith(url.origin) || !/^(?:[/?]|$)/.test(rest)) {
    return 'the redeem URL must start with one of the affiliate\u2019s origins, written exactly as registered';
  }
  if (url.hash !== '' || value.includes('#')) return 'leave out the fragment (#…): the club appends its own';
  return null;
}

/** The serialized form of a URL already accepted by {@link webUrlProblem} (percent-encoded, a path). */
export function canonicalUrl(value: string): string {
  return new URL(value).href;
}
