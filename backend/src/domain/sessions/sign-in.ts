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

interface Attempt {
  id: string;
  subject: string;
  limit: number;
}

/**
 * Counts this attempt as a failure before the password is checked, then looks at the window. Every
 * concurrent attempt sees the others' rows, so a burst of parallel guesses cannot get past the limit
 * (checking first and recording afterwards let every request of a burst through). An attempt over
 * the limit takes its rows back, so waiting out the window is enough.
 */
async function reserveAttempts(store: Store, attempts: Attempt[], now: Date): Promise<void> {
  const at = now.toISOString();
  for (const attempt of attempts) await store.sessions.recordFailure(attempt.id, attempt.subject, at);
  const since = new Date(now.getTime() - LOGIN_WINDOW_SECONDS * 1000).toISOString();
  for (const attempt of attempts) {
    const { count, oldest } = await store.sessions.failuresSince(attempt.subject, since);
    if (count > attempt.limit && oldest !== null) {
      await store.sessions.deleteFailures(attempts.map((a) => a.id));
      const retryAfter = (new Date(oldest).getTime() + LOGIN_WINDOW_SECONDS * 1000 - now.getTime()) / 1000;
      throw new ClubpassError('rate_limited', 'too many failed sign-ins; wait before trying again', {
        retryAfterSeconds: Math.max(1, Math.ceil(retryAfter)),
      });
    }
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
  const attempts: Attempt[] = [
    { id: newId('lfl'), subject: `email:${input.email}`, limit: MAX_FAILURES_PER_ACCOUNT },
    { id: newId('lfl'), subject: `ip:${input.clientAddress}`, limit: MAX_FAILURES_PER_ADDRESS },
  ];
  await reserveAttempts(deps.store, attempts, now);

  const account = await deps.store.accounts.findByEmail(input.email);
  const ok = await verifyPassword(input.password, account?.passwordHash ?? DUMMY_HASH);
  // A failure keeps the rows reserveAttempts wrote; a success takes them back.
  if (!account || !ok) throw new ClubpassError('invalid_login', 'the e-mail address or password is wrong');
  await deps.store.sessions.deleteFailures(attempts.map((a) => a.id));
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
