import type { Clock } from '@clubpass/shared';
import { newId } from '../../ids.js';
import type { Benefit } from '../../store/benefit-store.js';
import type { Store } from '../../store/store.js';
import { notFoundError } from '../affiliates/not-found.js';
import { type BenefitDraft, checkBenefitDraft } from './check-benefit.js';

/**
 * Creates a benefit for an affiliate (`POST /v1/admin/benefits`). The draft is checked by
 * {@link checkBenefitDraft}; an unknown affiliate is 404 `not_found` (as an unknown benefit is
 * for issuance, PROTOCOL.md §6). It is on offer from `validFrom` while `active`.
 */
export async function createBenefit(
  deps: { store: Store; clock: Clock },
  input: BenefitDraft & { affiliateId: string },
): Promise<Benefit> {
  const { affiliateId, ...fields } = input;
  const draft = checkBenefitDraft(fields);
  return deps.store.transaction(async (store) => {
    if ((await store.affiliates.findById(affiliateId)) === null) throw notFoundError('affiliate', affiliateId);
    const now = deps.clock.now().toISOString();
    const benefit: Benefit = {
      id: newId('ben'),
      affiliateId,
      ...draft,
      issuedCount: 0,
      createdAt: now,
      updatedAt: now,
    };
    await store.benefits.insert(benefit);
    return benefit;
  });
}
