import type { Clock } from '@clubpass/shared';
import { ClubpassError } from '@clubpass/shared';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { API_KEY_PREFIX, SESSION_TOKEN_PREFIX, secretDigest } from '../secrets.js';
import type { Role } from '../store/account-store.js';
import type { Store } from '../store/store.js';

/** Who made a request, once authenticated. */
export type Principal =
  | { kind: 'account'; accountId: string; role: Role; tokenDigest: string }
  | { kind: 'affiliate'; affiliateId: string; keyId: string };

function bearer(req: Request): string | null {
  const header = req.get('authorization');
  if (!header) return null;
  const match = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(header);
  return match ? (match[1] as string) : null;
}

function unauthorized(message: string): ClubpassError {
  return new ClubpassError('unauthorized', message);
}

/** Resolves the session behind a bearer token; null when there is none or it has expired. */
async function sessionPrincipal(store: Store, clock: Clock, token: string): Promise<Principal | null> {
  const digest = secretDigest(token);
  const session = await store.sessions.findActive(digest, clock.now().toISOString());
  return session ? { kind: 'account', accountId: session.accountId, role: session.role, tokenDigest: digest } : null;
}

/**
 * Requires a session of one of `roles` (members and admins sign in the same way). A member
 * reaching an admin endpoint gets 403, an anonymous caller 401.
 */
export function requireAccount(deps: { store: Store; clock: Clock }, roles: readonly Role[]): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = bearer(req);
    if (token === null || !token.startsWith(SESSION_TOKEN_PREFIX))
      throw unauthorized('sign in and send "Authorization: Bearer <session token>"');
    const principal = await sessionPrincipal(deps.store, deps.clock, token);
    if (principal === null || principal.kind !== 'account')
      throw unauthorized('the session is unknown or has expired; sign in again');
    if (!roles.includes(principal.role)) throw new ClubpassError('forbidden', 'this account may not use this endpoint');
    res.locals.principal = principal;
    next();
  };
}

/** Requires an affiliate API key; revoked keys stop working at once (looked up on every request). */
export function requireAffiliate(deps: { store: Store }): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = bearer(req);
    if (token === null || !token.startsWith(API_KEY_PREFIX))
      throw unauthorized('send "Authorization: Bearer <affiliate API key>"');
    const owner = await deps.store.affiliates.findApiKeyOwner(secretDigest(token));
    if (owner === null) throw unauthorized('the API key is unknown or revoked');
    res.locals.principal = {
      kind: 'affiliate',
      affiliateId: owner.affiliateId,
      keyId: owner.keyId,
    } satisfies Principal;
    next();
  };
}

/** The authenticated account of a request that passed {@link requireAccount}. */
export function accountOf(res: Response): Extract<Principal, { kind: 'account' }> {
  const principal = res.locals.principal as Principal | undefined;
  if (principal?.kind !== 'account') throw unauthorized('not signed in');
  return principal;
}

/** The admin behind a request that passed {@link requireAccount}, and its client address, for the audit log. */
export function auditActor(req: Request, res: Response): { accountId: string; ip: string | null } {
  return { accountId: accountOf(res).accountId, ip: req.ip ?? null };
}

/** The authenticated affiliate of a request that passed {@link requireAffiliate}. */
export function affiliateOf(res: Response): Extract<Principal, { kind: 'affiliate' }> {
  const principal = res.locals.principal as Principal | undefined;
  if (principal?.kind !== 'affiliate') throw unauthorized('no affiliate API key');
  return principal;
}
