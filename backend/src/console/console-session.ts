import type { Clock } from '@clubpass/shared';
import type { CookieOptions, Request, Response } from 'express';
import { newSecret, SESSION_TOKEN_PREFIX, safeEqual, secretDigest } from '../secrets.js';
import type { Account } from '../store/account-store.js';
import type { Store } from '../store/store.js';

/**
 * The console's cookies. When the club is served over https they carry `Secure` and the
 * `__Host-` prefix, which browsers accept only from a secure origin, on `Path=/` and without a
 * `Domain`: no other host, subdomain or plain-http page can set or overwrite them.
 */
export interface ConsoleCookies {
  /** The session cookie: the session token itself (stored server-side only as its digest). */
  session: string;
  /** The pre-sign-in CSRF cookie, paired with a hidden field of the sign-in form. */
  login: string;
  secure: boolean;
}

export function consoleCookies(issuer: string): ConsoleCookies {
  const secure = new URL(issuer).protocol === 'https:';
  const prefix = secure ? '__Host-' : '';
  return { session: `${prefix}clubpass_console`, login: `${prefix}clubpass_console_login`, secure };
}

/** HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Path=/. */
export function cookieOptions(cookies: ConsoleCookies, expires?: Date): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'strict',
    secure: cookies.secure,
    path: '/',
    ...(expires ? { expires } : {}),
  };
}

/** The cookies of a request, by name (first value wins, as browsers send the most specific first). */
export function readCookies(req: Request): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (out.has(name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      out.set(name, decodeURIComponent(value));
    } catch {
      // a malformed cookie is no cookie
    }
  }
  return out;
}

/** A signed-in console session: an admin's cookie session and its CSRF token. */
export interface ConsoleSession {
  tokenDigest: string;
  account: Account;
  csrfToken: string;
  expiresAt: string;
}

/** What a request's session cookie amounts to. */
export type SessionLookup =
  | { kind: 'none' }
  | { kind: 'forbidden'; tokenDigest: string }
  | { kind: 'admin'; session: ConsoleSession };

/**
 * Resolves the session cookie. Only a live `cookie` session counts (a bearer token pasted into
 * the cookie is no console session, and has no CSRF token); a member's session is `forbidden`.
 */
export async function lookUpSession(
  deps: { store: Store; clock: Clock },
  cookies: ConsoleCookies,
  req: Request,
): Promise<SessionLookup> {
  const token = readCookies(req).get(cookies.session);
  if (token === undefined || !token.startsWith(SESSION_TOKEN_PREFIX) || token.length > 200) return { kind: 'none' };
  const tokenDigest = secretDigest(token);
  const session = await deps.store.sessions.findActive(tokenDigest, deps.clock.now().toISOString());
  if (session === null) return { kind: 'none' };
  if (session.role !== 'admin') return { kind: 'forbidden', tokenDigest };
  if (session.kind !== 'cookie' || session.csrfToken === null) return { kind: 'none' };
  const account = await deps.store.accounts.findById(session.accountId);
  if (account === null || account.role !== 'admin') return { kind: 'forbidden', tokenDigest };
  return {
    kind: 'admin',
    session: { tokenDigest, account, csrfToken: session.csrfToken, expiresAt: session.expiresAt },
  };
}

/** The digest of the session cookie's token, whatever session it names (or none). */
export function sessionCookieDigest(cookies: ConsoleCookies, req: Request): string | null {
  const token = readCookies(req).get(cookies.session);
  return token === undefined ? null : secretDigest(token);
}

/** Compares a submitted CSRF token with the expected one in constant time; a missing one never matches. */
export function csrfMatches(submitted: unknown, expected: string | null | undefined): boolean {
  if (typeof submitted !== 'string' || submitted === '' || !expected) return false;
  return safeEqual(submitted, expected);
}

/** The sign-in form's CSRF token: the one in the cookie, or a fresh one set on the response. */
export function loginToken(cookies: ConsoleCookies, req: Request, res: Response): string {
  const existing = readCookies(req).get(cookies.login);
  if (existing !== undefined && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = newSecret('');
  res.cookie(cookies.login, token, { ...cookieOptions(cookies), maxAge: 60 * 60 * 1000 });
  return token;
}

/**
 * Where to go after signing in: only a console path of this server, so the parameter can never
 * send an admin to another site (no scheme, no `//host`, no backslash tricks).
 */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string') return '/console';
  if (!/^\/console(?:[/?#]|$)/.test(value) || value.includes('\\') || value.includes('//')) return '/console';
  if (value.startsWith('/console/sign-in') || value.startsWith('/console/sign-out')) return '/console';
  return value.length > 500 ? '/console' : value;
}
