import type { Clock } from '@clubpass/shared';
import type { Benefit } from '../../store/benefit-store.js';
import type { Store } from '../../store/store.js';
import { notFoundError } from '../affiliates/not-found.js';
import { type BenefitDraft, checkBenefitDraft } from './check-benefit.js';

/** An edit: each field present replaces the stored one; `null` clears the optional ones. */
export type BenefitChanges = Partial<BenefitDraft>;

/**
 * Edits a benefit (`PATCH /v1/admin/benefits/{id}`); `active: false` withdraws it from the
 * catalog and from issuance. The edited benefit is checked as a whole, so changing `valid_from`
 * alone cannot leave it after the stored `valid_until`. Credentials already issued keep the
 * terms they were signed with. An unknown benefit is 404 `not_found`.
 */
export async function updateBenefit(
  deps: { store: Store; clock: Clock },
  id: string,
  changes: BenefitChanges,
): Promise<Benefit> {
  return deps.store.transaction(async (store) => {
    const current = await store.benefits.findById(id);
    if (current === null) throw notFoundError('benefit', id);
    // `undefined` (absent) keeps the stored value; `null` is a value and clears it.
    const pick = <K extends keyof BenefitDraft>(key: K): BenefitDraft[K] =>
      changes[key] !== undefined ? (changes[key] as BenefitDraft[K]) : current[key];
    const draft = checkBenefitDraft({
      kind: pick('kind'),
      title: pick('title'),
      description: pick('description'),
      terms: pick('terms'),
      price: pick('price'),
      credentialTtlSeconds: pick('credentialTtlSeconds'),
      validFrom: pick('validFrom'),
      validUntil: pick('validUntil'),
      perMemberLimit: pick('perMemberLimit'),
      totalLimit: pick('totalLimit'),
      requires: pick('requires'),
      active: pick('active'),
    });
    await store.benefits.update({ ...current, ...draft, updatedAt: deps.clock.now().toISOString() });
    // Read back rather than assemble: issued_count may have moved while we held the old row.
    return (await store.benefits.findById(id)) as Benefit;
  });
}
