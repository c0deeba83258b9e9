import type { Clock } from '@clubpass/shared';
import type { Affiliate } from '../../store/affiliate-store.js';
import type { Store } from '../../store/store.js';
import { type AffiliateDraft, checkAffiliateDraft } from './check-affiliate.js';
import { notFoundError } from './not-found.js';

/** An edit: each field present replaces the stored one; `null` clears the optional ones. */
export type AffiliateChanges = Partial<AffiliateDraft>;

/**
 * Edits an affiliate (`PATCH /v1/admin/affiliates/{id}`). The result of the edit is checked as a
 * whole, so new origins that leave the stored redeem URL off every origin are refused just like
 * a bad redeem URL. An unknown affiliate is 404 `not_found`.
 *
 * Changing origins takes effect for the club's origin checks at once; members' extensions follow
 * when they next fetch the signed directory.
 */
export async function updateAffiliate(
  deps: { store: Store; clock: Clock },
  id: string,
  changes: AffiliateChanges,
): Promise<Affiliate> {
  return deps.store.transaction(async (store) => {
    const current = await store.affiliates.findById(id);
    if (current === null) throw notFoundError('affiliate', id);
    const draft = await checkAffiliateDraft(
      store,
      {
        name: changes.name ?? current.name,
        origins: changes.origins ?? current.origins,
        redeemUrl: changes.redeemUrl !== undefined ? changes.redeemUrl : current.redeemUrl,
        contactEmail: changes.contactEmail !== undefined ? changes.contactEmail : current.contactEmail,
      },
      id,
    );
    const updated: Affiliate = { ...current, ...draft, updatedAt: deps.clock.now().toISOString() };
    await store.affiliates.update(updated);
    return updated;
  });
}
