import type { DisclosedClaims } from '@clubpass/shared';
import type { Account } from '../../store/account-store.js';

/**
 * The member's personal details as selectively disclosable claims (PROTOCOL.md §3). Details the
 * profile does not have are left out rather than disclosed as null, so a member is never asked
 * to share something that is not there.
 */
export function personalDetails(account: Account): DisclosedClaims {
  const details: DisclosedClaims = {
    given_name: account.givenName,
    family_name: account.familyName,
    email: account.email,
  };
  if (account.membershipNumber !== null) details.membership_number = account.membershipNumber;
  if (account.phoneNumber !== null) details.phone_number = account.phoneNumber;
  if (account.address !== null && Object.keys(account.address).length > 0) details.address = account.address;
  return details;
}
