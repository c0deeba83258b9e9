import { type Address, type Clock, ClubpassError } from '@clubpass/shared';
import type { PasswordParams } from '../../http/app-deps.js';
import { newId } from '../../ids.js';
import type { Account } from '../../store/account-store.js';
import type { Store } from '../../store/store.js';
import { newMembershipNumber } from './membership-number.js';
import { hashPassword } from './password-hash.js';

export interface RegistrationInput {
  /** Already normalized (trimmed, lower case) by the edge. */
  email: string;
  password: string;
  givenName: string;
  familyName: string;
  phoneNumber: string | null;
  address: Address | null;
}

/**
 * Registers an account (a member, or an admin from the CLI). A taken e-mail is 409 `conflict`;
 * a membership-number collision (one in 10^9) is retried with a fresh number.
 */
export async function registerAccount(
  deps: { store: Store; clock: Clock; password: PasswordParams },
  input: RegistrationInput,
  role: 'member' | 'admin',
): Promise<Account> {
  const passwordHash = await hashPassword(input.password, deps.password);
  for (let attempt = 0; attempt < 5; attempt++) {
    const account: Account = {
      id: newId(role === 'member' ? 'mem' : 'adm'),
      role,
      email: input.email,
      passwordHash,
      membershipNumber: role === 'member' ? newMembershipNumber() : null,
      givenName: input.givenName,
      familyName: input.familyName,
      phoneNumber: input.phoneNumber,
      address: input.address,
      createdAt: deps.clock.now().toISOString(),
    };
    if (await deps.store.accounts.insert(account)) return account;
    if (await deps.store.accounts.findByEmail(input.email)) {
      throw new ClubpassError('conflict', 'an account with this e-mail address already exists', {
        errors: [{ path: 'email', message: 'this address is already registered; sign in instead' }],
      });
    }
  }
  throw new ClubpassError('internal_error', 'could not allocate a membership number; try again');
}
