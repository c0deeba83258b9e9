import type { StoreContext } from './kysely-db.js';

// Placeholder: filled in by the work on this area.
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the work on this area
export interface BenefitStore {}

/** Creates the Kysely implementation of {@link BenefitStore}. */
export function createBenefitStore(_context: StoreContext): BenefitStore {
  return {};
}
