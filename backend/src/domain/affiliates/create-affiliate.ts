import type { Clock } from '@clubpass/shared';
import { newId } from '../../ids.js';
import type { Affiliate } from '../../store/affiliate-store.js';
import type { Store } from '../../store/store.js';
import { type AffiliateDraft, checkAffiliateDraft } from './check-affiliate.js';
import { mintApiKey, type NewApiKey } from './issue-api-key.js';

/**
 * Registers an affiliate with its first API key (`POST /v1/admin/affiliates`). The draft is
 * checked by {@link checkAffiliateDraft} (exact origins, redeem URL on them, no origin taken by
 * another affiliate); the affiliate and its key are written in one transaction, so there is
 * never an affiliate whose only key was lost. The key's secret is returned here, once.
 */
export async function createAffiliate(
  deps: { store: Store; clock: Clock },
  input: AffiliateDraft,
): Promise<{ affiliate: Affiliate; apiKey: NewApiKey }> {
  return deps.store.transaction(async (store) => {
    const draft = await checkAffiliateDraft(store, input, null);
    const now = deps.clock.now();
    const affiliate: Affiliate = {
      id: newId('aff'),
      ...draft,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    await store.affiliates.insert(affiliate);
    const apiKey = await mintApiKey(store, affiliate.id, now);
    return { affiliate, apiKey };
  });
}
