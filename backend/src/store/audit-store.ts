import type { StoreContext } from './kysely-db.js';

// Placeholder: filled in by the work on this area.
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the work on this area
export interface AuditStore {}

/** Creates the Kysely implementation of {@link AuditStore}. */
export function createAuditStore(_context: StoreContext): AuditStore {
  return {};
}
