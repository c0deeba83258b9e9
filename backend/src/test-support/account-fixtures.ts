import { newMembershipNumber } from '../domain/members/membership-number.js';
import { newId } from '../ids.js';
import type { Account } from '../store/account-store.js';
import { TEST_NOW } from './test-backend.js';

let sequence = 0;

/** A member account row for storage tests: unique e-mail and membership number unless overridden. */
export function memberAccount(overrides: Partial<Account> = {}): Account {
  sequence += 1;
  return {
    id: newId('mem'),
    role: 'member',
    email: `member${sequence}@example.com`,
    passwordHash: 'scrypt$1024$8$1$c2FsdA$aGFzaA',
    membershipNumber: newMembershipNumber(),
    givenName: 'Ann',
    familyName: 'Example',
    phoneNumber: null,
    address: null,
    createdAt: TEST_NOW,
    ...overrides,
  };
}

/** An admin account row: no membership number. */
export function adminAccount(overrides: Partial<Account> = {}): Account {
  return memberAccount({ id: newId('adm'), role: 'admin', membershipNumber: null, ...overrides });
}

/** A registration body for `POST /v1/members`. */
export function registration(email: string, password = 'correct horse battery') {
  return { email, password, given_name: 'Ann', family_name: 'Example' };
}
