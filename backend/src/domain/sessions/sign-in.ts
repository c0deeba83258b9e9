import { type Clock, ClubpassError } from '@clubpass/shared';
import { newId } from '../../ids.js';
import { newSecret, SESSION_TOKEN_PREFIX, secretDigest } from '../../secrets.js';
import type { Role } from '../../store/account-store.js';
import type { Store } from '../../store/store.js';
import { verifyPassword } from '../members/password-hash.js';

/** Login throttling (PROTOCOL.md §6): failures per account and per client address in a window. */
export const LOGIN_WINDOW_SECONDS = 15 * 60;
export const MAX_FAILURES_PER_ACCOUNT = 10;
export const MAX_FAILURES_PER_ADDRESS = 100;
export const SESSION_TTL_SECONDS = 12 * 60 * 60;

// Checked when the account does not exist, so a miss costs as much time as a wrong password.
const DUMMY_HASH = 'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export interface SignInResult {
  token: string;
  expiresAt: string;
  role: Role;
  accountId: string;
  csrfToken: string | null;
}

async function throttle(store: Store, subject: string, limit: number, now: Date): Promise<void> {
  const since = new Date(now.getTime() - LOGIN_WINDOW_SECONDS * 1000).toISOString();
  const { count, oldest } = await store.sessions.failuresSince(subject, since);
  if (count >= limit && oldest !== null) {
    const retryAfter = (new Date(oldest).getTime() + LOGIN_WINDOW_SECONDS * 1000 - now.getTime()) / 1000;
    throw new ClubpassError('rate_limited', 'too many failed sign-ins; wait before trying again', {
      retryAfterSeconds: Math.max(1, Math.ceil(retryAfter)),
    });
  }
}

/**
 * Signs an account in and opens a session. The token is returned once and stored only as its
 * digest. Failures never say whether the account exists, and are throttled per e-mail address
 * (existing or not, so the throttle itself reveals nothing) and per client address.
 */
export async function signIn(
  deps: { store: Store; clock: Clock },
  input: { email: string; password: string; clientAddress: string; kind: 'bearer' | 'cookie' },
): Promise<SignInResult> {
  const now = deps.clock.now();
  const accountSubject = `email:${input.email}`;
  const addressSubject = `ip:${input.clientAddress}`;
  await throttle(deps.store, accountSubject, MAX_FAILURES_PER_ACCOUNT, now);
  await throttle(deps.store, addressSubject, MAX_FAILURES_PER_ADDRESS, now);

  const account = await deps.store.accounts.findByEmail(input.email);
  const ok = await verifyPassword(input.password, account?.passwordHash ?? DUMMY_HASH);
  if (!account || !ok) {
    const at = now.toISOString();
    await deps.store.sessions.recordFailure(newId('lfl'), accountSubject, at);
    await deps.store.sessions.recordFailure(newId('lfl'), addressSubject, at);
    throw new ClubpassError('invalid_login', 'the e-mail address or password is wrong');
  }
  const token = newSecret(SESSION_TOKEN_PREFIX);
  const expiresAt = new Date(now.getTime() + SESSION_TTL_SECONDS * 1000).toISOString();
  const csrfToken = input.kind === 'cookie' ? newSecret('') : null;
  await deps.store.sessions.insert({
    tokenDigest: secretDigest(token),
    accountId: account.id,
    role: account.role,
    kind: input.kind,
    csrfToken,
    createdAt: now.toISOString(),
    expiresAt,
  });
  return { token, expiresAt, role: account.role, accountId: account.id, csrfToken };
}
