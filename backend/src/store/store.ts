import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../db/open-database.js';
import type { Database } from '../db/schema.js';
import { type AccountStore, createAccountStore } from './account-store.js';
import { type AdminCredentialStore, createAdminCredentialStore } from './admin-credential-store.js';
import { type AffiliateStore, createAffiliateStore } from './affiliate-store.js';
import { type AuditStore, createAuditStore } from './audit-store.js';
import { type BenefitStore, createBenefitStore } from './benefit-store.js';
import { type CredentialStore, createCredentialStore } from './credential-store.js';
import { createIdempotencyStore, type IdempotencyStore } from './idempotency-store.js';
import { createInvoiceStore, type InvoiceStore } from './invoice-store.js';
import type { StoreContext } from './kysely-db.js';
import { createNonceStore, type NonceStore } from './nonce-store.js';
import { createRedemptionStore, type RedemptionStore } from './redemption-store.js';
import { createSessionStore, type SessionStore } from './session-store.js';
import { createSigningKeyStore, type SigningKeyStore } from './signing-key-store.js';

/**
 * The one storage interface the domain sees. Each area is its own small store; all of them run
 * on one Kysely handle, so `transaction` gives a store whose every area shares the transaction.
 */
export interface Store {
  readonly kind: DatabaseKind;
  readonly accounts: AccountStore;
  readonly sessions: SessionStore;
  readonly affiliates: AffiliateStore;
  readonly benefits: BenefitStore;
  readonly signingKeys: SigningKeyStore;
  readonly credentials: CredentialStore;
  readonly adminCredentials: AdminCredentialStore;
  readonly nonces: NonceStore;
  readonly redemptions: RedemptionStore;
  readonly idempotency: IdempotencyStore;
  readonly invoices: InvoiceStore;
  readonly audit: AuditStore;
  /**
   * Runs `work` in one database transaction and commits when it resolves. On SQLite, Kysely
   * holds the single connection for the whole transaction, so transactions never interleave.
   */
  transaction<T>(work: (tx: Store) => Promise<T>): Promise<T>;
}

/** Builds the Kysely implementation of {@link Store} over an open database. */
export function createStore(db: Kysely<Database>, kind: DatabaseKind): Store {
  const context: StoreContext = { db, kind };
  return {
    kind,
    accounts: createAccountStore(context),
    sessions: createSessionStore(context),
    affiliates: createAffiliateStore(context),
    benefits: createBenefitStore(context),
    signingKeys: createSigningKeyStore(context),
    credentials: createCredentialStore(context),
    adminCredentials: createAdminCredentialStore(context),
    nonces: createNonceStore(context),
    redemptions: createRedemptionStore(context),
    idempotency: createIdempotencyStore(context),
    invoices: createInvoiceStore(context),
    audit: createAuditStore(context),
    transaction: (work) =>
      db.isTransaction ? work(createStore(db, kind)) : db.transaction().execute((trx) => work(createStore(trx, kind))),
  };
}
