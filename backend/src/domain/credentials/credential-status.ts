import type { StoredCredentialStatus } from '../../store/credential-store.js';

/** A credential's status as members see it (PROTOCOL.md §6). */
export type MemberCredentialStatus = 'issued' | 'redeemed' | 'expired' | 'revoked';

/**
 * The status a member sees. "expired" is computed from `expiresAt` at `now`, never stored, so
 * no background job has to sweep the table. A credential locked after five wrong PINs can never
 * be used again and so shows as revoked.
 */
export function memberCredentialStatus(
  status: StoredCredentialStatus,
  expiresAt: string,
  now: Date,
): MemberCredentialStatus {
  if (status === 'redeemed') return 'redeemed';
  if (status === 'revoked' || status === 'locked') return 'revoked';
  return new Date(expiresAt).getTime() <= now.getTime() ? 'expired' : 'issued';
}
