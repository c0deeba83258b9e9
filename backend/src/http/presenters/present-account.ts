import { rfc3339 } from '../../clock.js';
import type { Account } from '../../store/account-store.js';

/** A member's own profile as `GET /v1/members/me` and `POST /v1/members` show it. Never the hash. */
export function presentMember(account: Account) {
  return {
    id: account.id,
    membership_number: account.membershipNumber,
    email: account.email,
    given_name: account.givenName,
    family_name: account.familyName,
    phone_number: account.phoneNumber,
    address: account.address,
    created_at: rfc3339(account.createdAt),
  };
}
