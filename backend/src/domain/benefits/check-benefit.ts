import { BENEFIT_KINDS, ClubpassError, type FieldError } from '@clubpass/shared';
import type { Benefit } from '../../store/benefit-store.js';
import { canonicalUrl, webUrlProblem } from '../affiliates/web-origin.js';

/** The longest credential lifetime a benefit may ask for (PROTOCOL.md §8): one year. */
export const MAX_CREDENTIAL_TTL_SECONDS = 31_536_000;
/** The credential lifetime of a benefit that names none (PROTOCOL.md §8): 30 days. */
export const DEFAULT_CREDENTIAL_TTL_SECONDS = 30 * 24 * 60 * 60;

/**
 * The fields of a benefit an admin sets, on creation or as the result of an edit: the stored
 * benefit without what the club maintains itself. Stored times are `Date#toISOString` strings, so
 * they compare as text (see the migration).
 */
export type BenefitDraft = Omit<Benefit, 'id' | 'affiliateId' | 'issuedCount' | 'createdAt' | 'updatedAt'>;

function canonicalTime(value: string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

/**
 * Checks the rules of a benefit that span fields, which the HTTP edge's per-field schema cannot
 * see, and returns the draft in stored form (times as ISO strings, `access_url` canonical):
 * - the terms say something (an empty `terms` would be issued into credentials as `{}`);
 * - `access_url` belongs to `exclusive_access` benefits only, and is https (or loopback http);
 * - the validity window is not empty: `valid_from` < `valid_until`;
 * - the kind is one of the six (PROTOCOL.md §3).
 * A failure is 400 `invalid_request` with one error per field.
 */
export function checkBenefitDraft(draft: BenefitDraft): BenefitDraft {
  const errors: FieldError[] = [];
  if (!(BENEFIT_KINDS as readonly string[]).includes(draft.kind)) {
    errors.push({ path: 'kind', message: `use one of ${BENEFIT_KINDS.join(', ')}` });
  }
  const terms = { ...draft.terms };
  if (Object.keys(terms).length === 0) {
    errors.push({ path: 'terms', message: 'give at least one of percent_off, amount_off, description, access_url' });
  }
  if (terms.access_url !== undefined) {
    const problem = webUrlProblem(terms.access_url);
    if (draft.kind !== 'exclusive_access') {
      errors.push({ path: 'terms.access_url', message: 'only exclusive_access benefits have an access URL' });
    } else if (problem !== null) {
      errors.push({ path: 'terms.access_url', message: problem });
    } else {
      terms.access_url = canonicalUrl(terms.access_url);
    }
  }
  const validFrom = canonicalTime(draft.validFrom);
  const validUntil = canonicalTime(draft.validUntil);
  if (validFrom !== null && validUntil !== null && validFrom >= validUntil) {
    errors.push({ path: 'valid_until', message: 'must be later than valid_from' });
  }
  if (errors.length > 0) throw new ClubpassError('invalid_request', 'the benefit is not valid', { errors });
  return { ...draft, terms, validFrom, validUntil };
}
