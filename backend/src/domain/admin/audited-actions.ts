import type { Clock } from '@clubpass/shared';
import type { JWK } from 'jose';
import type { RotatingKeyRing } from '../../keys/create-key-ring.js';
import type { CredentialRecord } from '../../store/admin-credential-store.js';
import type { Affiliate, ApiKey } from '../../store/affiliate-store.js';
import type { Benefit } from '../../store/benefit-store.js';
import type { Invoice } from '../../store/invoice-store.js';
import type { Store } from '../../store/store.js';
import type { AffiliateDraft } from '../affiliates/check-affiliate.js';
import { createAffiliate } from '../affiliates/create-affiliate.js';
import { issueApiKey, type NewApiKey } from '../affiliates/issue-api-key.js';
import { revokeApiKey } from '../affiliates/revoke-api-key.js';
import { type AffiliateChanges, updateAffiliate } from '../affiliates/update-affiliate.js';
import type { BenefitDraft } from '../benefits/check-benefit.js';
import { createBenefit } from '../benefits/create-benefit.js';
import { type BenefitChanges, updateBenefit } from '../benefits/update-benefit.js';
import { advanceInvoice } from '../callbacks/advance-invoice.js';
import { type AuditActor, type AuditRecord, recordAudit } from './record-audit.js';
import { revokeCredential } from './revoke-credential.js';

// The admin actions with their audit entries. Both edges (the console and the JSON admin API)
// call these, so each action is described to the audit log in exactly one place. Each runs with
// its entry in one transaction: an action is never done without its entry, nor recorded undone.
// The entries name objects and plain facts, never a secret (keys, tokens, passwords).

type Deps = { store: Store; clock: Clock };

async function audited<T>(
  deps: Deps,
  actor: AuditActor,
  work: (deps: Deps) => Promise<T>,
  describe: (result: T) => AuditRecord,
): Promise<T> {
  return deps.store.transaction(async (store) => {
    const inTransaction = { store, clock: deps.clock };
    const result = await work(inTransaction);
    await recordAudit(inTransaction, actor, describe(result));
    return result;
  });
}

/** Registers an affiliate with its first API key; the secret is returned, never recorded. */
export function createAffiliateAudited(
  deps: Deps,
  actor: AuditActor,
  draft: AffiliateDraft,
): Promise<{ affiliate: Affiliate; apiKey: NewApiKey }> {
  return audited(
    deps,
    actor,
    (d) => createAffiliate(d, draft),
    ({ affiliate, apiKey }) => ({
      action: 'affiliate.create',
      target: affiliate.id,
      detail: { name: affiliate.name, origins: affiliate.origins, api_key_id: apiKey.key.id },
    }),
  );
}

/** Edits an affiliate; the entry lists the fields the edit set and their new values. */
export function updateAffiliateAudited(
  deps: Deps,
  actor: AuditActor,
  id: string,
  changes: AffiliateChanges,
): Promise<Affiliate> {
  return audited(
    deps,
    actor,
    (d) => updateAffiliate(d, id, changes),
    (affiliate) => ({
      action: 'affiliate.update',
      target: affiliate.id,
      detail: {
        ...(changes.name !== undefined ? { name: affiliate.name } : {}),
        ...(changes.origins !== undefined ? { origins: affiliate.origins } : {}),
        ...(changes.redeemUrl !== undefined ? { redeem_url: affiliate.redeemUrl } : {}),
        ...(changes.contactEmail !== undefined ? { contact_email: affiliate.contactEmail } : {}),
      },
    }),
  );
}

/** Issues another API key to an affiliate; the entry names the key by id only. */
export function issueApiKeyAudited(deps: Deps, actor: AuditActor, affiliateId: string): Promise<NewApiKey> {
  return audited(
    deps,
    actor,
    (d) => issueApiKey(d, affiliateId),
    ({ key }) => ({ action: 'api_key.create', target: key.id, detail: { affiliate_id: affiliateId } }),
  );
}

/** Revokes one of an affiliate's API keys. */
export function revokeApiKeyAudited(
  deps: Deps,
  actor: AuditActor,
  affiliateId: string,
  keyId: string,
): Promise<ApiKey> {
  return audited(
    deps,
    actor,
    (d) => revokeApiKey(d, affiliateId, keyId),
    (key) => ({ action: 'api_key.revoke', target: key.id, detail: { affiliate_id: affiliateId } }),
  );
}

/** Creates a benefit for an affiliate. */
export function createBenefitAudited(
  deps: Deps,
  actor: AuditActor,
  input: BenefitDraft & { affiliateId: string },
): Promise<Benefit> {
  return audited(
    deps,
    actor,
    (d) => createBenefit(d, input),
    (benefit) => ({
      action: 'benefit.create',
      target: benefit.id,
      detail: { affiliate_id: benefit.affiliateId, kind: benefit.kind, title: benefit.title },
    }),
  );
}

/**
 * Edits a benefit. An edit of `active` alone is recorded as a withdrawal or a reinstatement;
 * any other edit as an update naming the fields it set.
 */
export function updateBenefitAudited(
  deps: Deps,
  actor: AuditActor,
  id: string,
  changes: BenefitChanges,
): Promise<Benefit> {
  const fields = Object.entries(changes)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);
  return audited(
    deps,
    actor,
    (d) => updateBenefit(d, id, changes),
    (benefit): AuditRecord => {
      if (fields.length === 1 && fields[0] === 'active') {
        return {
          action: benefit.active ? 'benefit.reinstate' : 'benefit.withdraw',
          target: benefit.id,
          detail: { title: benefit.title },
        };
      }
      return { action: 'benefit.update', target: benefit.id, detail: { title: benefit.title, fields } };
    },
  );
}

/** Revokes a credential a member has not used yet. */
export function revokeCredentialAudited(
  deps: Deps,
  actor: AuditActor,
  credentialId: string,
): Promise<CredentialRecord> {
  return audited(
    deps,
    actor,
    (d) => revokeCredential(d, credentialId),
    (record) => ({
      action: 'credential.revoke',
      target: record.id,
      detail: { member_id: record.memberId, benefit_id: record.benefitId },
    }),
  );
}

/** Approves a submitted invoice or marks an approved one paid. */
export function advanceInvoiceAudited(
  deps: Deps,
  actor: AuditActor,
  invoiceId: string,
  to: 'approved' | 'paid',
): Promise<Invoice> {
  return audited(
    deps,
    actor,
    (d) => advanceInvoice(d, invoiceId, to),
    (invoice) => ({
      action: to === 'approved' ? 'invoice.approve' : 'invoice.paid',
      target: invoice.id,
      detail: {
        affiliate_id: invoice.affiliateId,
        total_amount: invoice.total.amount,
        currency: invoice.total.currency,
      },
    }),
  );
}

/**
 * Rotates the club's signing key. The key ring writes through its own store, so the rotation
 * cannot share a transaction with the entry; the entry is written right after it succeeds.
 */
export async function rotateSigningKeyAudited(
  deps: Deps & { keyRing: RotatingKeyRing },
  actor: AuditActor,
): Promise<JWK> {
  const jwk = await deps.keyRing.rotate();
  await recordAudit(deps, actor, {
    action: 'signing_key.rotate',
    target: typeof jwk.kid === 'string' ? jwk.kid : null,
    detail: { alg: typeof jwk.alg === 'string' ? jwk.alg : null },
  });
  return jwk;
}

/** Records an admin's sign-in or sign-out, and through which edge. Never the session token. */
export async function recordAdminSession(
  deps: Deps,
  actor: AuditActor,
  event: 'sign_in' | 'sign_out',
  via: 'console' | 'api',
): Promise<void> {
  await recordAudit(deps, actor, {
    action: event === 'sign_in' ? 'admin.sign_in' : 'admin.sign_out',
    target: actor.accountId,
    detail: { via },
  });
}
