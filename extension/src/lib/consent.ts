/**
 * Consent: what the member is shown and what they may choose. Pure, so the rules (only requested
 * details, only details the credential holds, only offered credentials) are tested under Node.
 */

import type { BenefitSummary, StoredCredential } from './credentials.js';
import { disclosuresOf } from './credentials.js';
import type { DirectoryAffiliate } from './directory.js';
import type { ConsentDecision } from './messages.js';

/** Human labels for the disclosable claims (PROTOCOL.md §3). */
export const CLAIM_LABELS: Record<string, string> = {
  membership_number: 'Membership number',
  given_name: 'First name',
  family_name: 'Last name',
  email: 'E-mail address',
  phone_number: 'Phone number',
  address: 'Postal address',
};

export function claimLabel(name: string): string {
  return CLAIM_LABELS[name] ?? name.replaceAll('_', ' ');
}

/** A claim value as one readable line (an address is joined with commas). */
export function formatClaimValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && value !== null) {
    const a = value as Record<string, unknown>;
    const parts = [a.street_address, [a.postal_code, a.locality].filter(Boolean).join(' '), a.region, a.country];
    return parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').join(', ');
  }
  return '';
}

export interface ConsentCredentialOption {
  id: string;
  benefit: BenefitSummary;
  affiliateName: string;
  expiresAt: string;
  /** Each requested detail this credential holds, with the value that would be shared. */
  details: { name: string; label: string; value: string }[];
  /** Requested details this credential does not hold (they cannot be shared). */
  missing: string[];
  /** Details the affiliate said the benefit needs. */
  requires: string[];
}

/** Everything the consent window shows. Sent only to the extension's own consent page. */
export interface ConsentView {
  requestId: string;
  origin: string;
  affiliates: { id: string; name: string }[];
  requested: { name: string; label: string }[];
  credentials: ConsentCredentialOption[];
}

export function buildConsentView(input: {
  requestId: string;
  origin: string;
  affiliates: readonly DirectoryAffiliate[];
  requested: readonly string[];
  offered: readonly StoredCredential[];
}): ConsentView {
  return {
    requestId: input.requestId,
    origin: input.origin,
    affiliates: input.affiliates.map((a) => ({ id: a.id, name: a.name })),
    requested: input.requested.map((name) => ({ name, label: claimLabel(name) })),
    credentials: input.offered.map((c) => {
      const held = disclosuresOf(c.credential);
      return {
        id: c.id,
        benefit: c.benefit,
        affiliateName: c.affiliate.name,
        expiresAt: new Date(c.exp * 1000).toISOString(),
        details: input.requested
          .filter((name) => held.has(name))
          .map((name) => ({ name, label: claimLabel(name), value: formatClaimValue(held.get(name)?.value) })),
        missing: input.requested.filter((name) => !held.has(name)),
        requires: c.requires,
      };
    }),
  };
}

/** The consent window's state: which credential is chosen and which details are ticked. */
export interface ConsentSelection {
  credentialId: string | null;
  checked: Set<string>;
}

/** Start: the first (soonest-expiring) credential, with every requested detail it holds ticked. */
export function initialSelection(view: ConsentView): ConsentSelection {
  const first = view.credentials[0];
  return selectCredential(view, first ? first.id : null);
}

/** Choosing another credential re-ticks every requested detail that one holds. */
export function selectCredential(view: ConsentView, credentialId: string | null): ConsentSelection {
  const option = view.credentials.find((c) => c.id === credentialId);
  if (!option) return { credentialId: null, checked: new Set() };
  return { credentialId: option.id, checked: new Set(option.details.map((d) => d.name)) };
}

export function toggleDetail(view: ConsentView, selection: ConsentSelection, name: string): ConsentSelection {
  const option = view.credentials.find((c) => c.id === selection.credentialId);
  if (!option?.details.some((d) => d.name === name)) return selection;
  const checked = new Set(selection.checked);
  if (checked.has(name)) checked.delete(name);
  else checked.add(name);
  return { credentialId: selection.credentialId, checked };
}

/** Required details (per the catalog) the member has unticked: the partner may refuse without them. */
export function uncheckedRequirements(view: ConsentView, selection: ConsentSelection): string[] {
  const option = view.credentials.find((c) => c.id === selection.credentialId);
  if (!option) return [];
  return option.requires.filter((name) => option.details.some((d) => d.name === name) && !selection.checked.has(name));
}

export function decisionOf(view: ConsentView, selection: ConsentSelection): ConsentDecision | null {
  if (selection.credentialId === null) return null;
  const option = view.credentials.find((c) => c.id === selection.credentialId);
  if (!option) return null;
  return {
    share: true,
    credentialId: option.id,
    disclose: option.details.map((d) => d.name).filter((n) => selection.checked.has(n)),
  };
}

export type CheckedDecision =
  | { share: false }
  | { share: true; credential: StoredCredential; disclose: string[] }
  | { invalid: string };

/**
 * The background's check of what the consent page sent: the credential must be one that was
 * offered for this request, and the details a subset of those requested that it holds.
 * The member can only narrow the request, never widen it.
 */
export function checkDecision(
  decision: ConsentDecision,
  offered: readonly StoredCredential[],
  requested: readonly string[],
): CheckedDecision {
  if (!decision.share) return { share: false };
  const credential = offered.find((c) => c.id === decision.credentialId);
  if (!credential) return { invalid: 'that credential was not offered for this request' };
  const held = disclosuresOf(credential.credential);
  const allowed = new Set(requested.filter((name) => held.has(name)));
  const disclose = [...new Set(decision.disclose)];
  const extra = disclose.filter((name) => !allowed.has(name));
  if (extra.length > 0) return { invalid: `not requested or not held: ${extra.join(', ')}` };
  return { share: true, credential, disclose };
}
