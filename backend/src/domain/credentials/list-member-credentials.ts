import type { Clock } from '@clubpass/shared';
import type { MemberCredentialSummary } from '../../store/credential-store.js';
import type { Page, PageRequest } from '../../store/pagination.js';
import type { Store } from '../../store/store.js';
import { type MemberCredentialStatus, memberCredentialStatus } from './credential-status.js';

/** A line of the member's credential list with the status the member sees. */
export interface MemberCredentialListItem extends Omit<MemberCredentialSummary, 'status'> {
  status: MemberCredentialStatus;
}

/**
 * One page of a member's own credentials, newest first (PROTOCOL.md §6 `GET /v1/credentials`).
 * Only `memberId`'s credentials are ever read: the id comes from the session, never the request.
 */
export async function listMemberCredentials(
  deps: { store: Store; clock: Clock },
  memberId: string,
  page: PageRequest,
): Promise<Page<MemberCredentialListItem>> {
  const now = deps.clock.now();
  const found = await deps.store.credentials.listForMember(memberId, page);
  return {
    items: found.items.map((item) => ({ ...item, status: memberCredentialStatus(item.status, item.expiresAt, now) })),
    nextCursor: found.nextCursor,
  };
}
