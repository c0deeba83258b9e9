import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { registerAccount } from '../domain/members/register-member.js';
import type { TestBackend } from './test-backend.js';

/** A member signed up through the public API, with a bearer session. */
export interface TestMember {
  id: string;
  email: string;
  membershipNumber: string;
  token: string;
}

const PASSWORD = 'correct horse battery staple';

/** Signs a member up with `POST /v1/members` and signs in with `POST /v1/sessions`. */
export async function signUpMember(
  backend: TestBackend,
  profile: { phone_number?: string; address?: Record<string, string>; given_name?: string } = {},
): Promise<TestMember> {
  const email = `member-${randomBytes(6).toString('hex')}@example.org`;
  const created = await backend.request('POST', '/v1/members', {
    body: { email, password: PASSWORD, given_name: 'Ada', family_name: 'Lovelace', ...profile },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const session = await backend.request('POST', '/v1/sessions', { body: { email, password: PASSWORD } });
  assert.equal(session.status, 201, JSON.stringify(session.body));
  return { id: created.body.id, email, membershipNumber: created.body.membership_number, token: session.body.token };
}

/** Creates an admin account the way the CLI does, and signs it in. Returns the session token. */
export async function signInAdmin(backend: TestBackend): Promise<string> {
  const email = `admin-${randomBytes(6).toString('hex')}@example.org`;
  await registerAccount(
    backend.deps,
    { email, password: PASSWORD, givenName: 'Grace', familyName: 'Hopper', phoneNumber: null, address: null },
    'admin',
  );
  const session = await backend.request('POST', '/v1/sessions', { body: { email, password: PASSWORD } });
  assert.equal(session.status, 201, JSON.stringify(session.body));
  return session.body.token;
}
