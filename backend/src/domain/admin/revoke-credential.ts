import { type Clock, ClubpassError } from '@clubpass/shared';
import type { CredentialRecord } from '../../store/admin-credential-store.js';
import type { Store } from '../../store/store.js';

/**
 * Revokes a credential the member has not used yet. From then on every verification and
 * redemption of it fails with `credential_revoked` (PROTOCOL.md §5 rule 14). A redeemed
 * credential cannot be revoked (void the redemption instead); revoking twice is a conflict.
 */
export async function revokeCredential(
  deps: { store: Store; clock: Clock },
  credentialId: string,
): Promise<CredentialRecord> {
  const revoked = await deps.store.adminCredentials.revoke(credentialId, deps.clock.now().toISOString());
  const record = await deps.store.adminCredentials.find(credentialId);
  if (record === null) throw new ClubpassError('not_found', 'no such credential');
  if (!revoked) throw new ClubpassError('conflict', `the credential is ${record.status} and cannot be revoked`);
  return record;
}
