import { rfc3339 } from '../../clock.js';
import type { IssuedMemberCredential } from '../../domain/credentials/issue-member-credential.js';
import type { MemberCredentialListItem } from '../../domain/credentials/list-member-credentials.js';

/**
 * The answer to `POST /v1/credentials` (PROTOCOL.md §6): the credential string is shown here and
 * nowhere else. `link` is present only for link credentials (§9); it is null when the affiliate
 * has no `redeem_url`, and the member then shows the credential as a QR code instead.
 */
export function presentIssuedCredential(issued: IssuedMemberCredential) {
  const { credential } = issued;
  return {
    id: credential.id,
    credential: credential.credential,
    expires_at: rfc3339(credential.expiresAt),
    benefit: issued.benefit,
    ...(credential.holderThumbprint === null ? { link: issued.link } : {}),
  };
}

/** One line of `GET /v1/credentials`: no credential string, no PIN hash, no billing internals. */
export function presentCredentialListItem(item: MemberCredentialListItem) {
  return {
    id: item.id,
    benefit: item.benefit,
    affiliate: item.affiliate,
    status: item.status,
    expires_at: rfc3339(item.expiresAt),
    redeemed_at: item.redeemedAt === null ? null : rfc3339(item.redeemedAt),
  };
}
