import { type Clock, ClubpassError } from '@clubpass/shared';
import type { Redemption } from '../../store/redemption-store.js';
import type { Store } from '../../store/store.js';

/**
 * Voids one of the affiliate's own redemptions (a return or cancellation) before it is invoiced:
 * the billing line is cancelled and the credential becomes usable again, in one transaction.
 * Another affiliate's redemption is 404, exactly like a missing one.
 */
export async function voidRedemption(
  deps: { store: Store; clock: Clock },
  affiliateId: string,
  redemptionId: string,
  reason: string,
): Promise<Redemption> {
  const now = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    const redemption = await tx.redemptions.findById(redemptionId);
    if (redemption === null || redemption.affiliateId !== affiliateId) {
      throw new ClubpassError('not_found', 'no such redemption');
    }
    if (redemption.voidedAt !== null) throw new ClubpassError('conflict', 'this redemption is already voided');
    if (!(await tx.redemptions.voidOpen(redemptionId, reason, now))) {
      throw new ClubpassError('conflict', 'this redemption is already invoiced and can no longer be voided');
    }
    await tx.redemptions.reopenCredential(redemption.credentialId);
    const updated = await tx.redemptions.findById(redemptionId);
    if (updated === null) throw new ClubpassError('internal_error', 'the voided redemption vanished');
    return updated;
  });
}
