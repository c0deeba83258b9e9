import type { StoreContext } from './kysely-db.js';

// Placeholder: filled in by the work on this area.
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the work on this area
export interface CredentialStore {}

/** Creates the Kysely implementation of {@link CredentialStore}. */
export function createCredentialStore(_context: StoreContext): CredentialStore {
  return {};
}
