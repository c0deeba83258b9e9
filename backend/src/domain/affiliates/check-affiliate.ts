import { ClubpassError, type FieldError } from '@clubpass/shared';
import type { Store } from '../../store/store.js';
import { canonicalUrl, redeemUrlProblem, webOriginProblem } from './web-origin.js';

/** The fields of an affiliate an admin sets, on creation or as the result of an edit. */
export interface AffiliateDraft {
  name: string;
  origins: string[];
  redeemUrl: string | null;
  contactEmail: string | null;
}

/** The most origins one affiliate may register; a shop with more is likely a misconfiguration. */
export const MAX_ORIGINS = 20;

function originErrors(origins: readonly string[]): FieldError[] {
  const errors: FieldError[] = [];
  if (origins.length === 0) errors.push({ path: 'origins', message: 'register at least one origin' });
  if (origins.length > MAX_ORIGINS) errors.push({ path: 'origins', message: `register at most ${MAX_ORIGINS}` });
  origins.forEach((origin, i) => {
    const problem = webOriginProblem(origin);
    if (problem !== null) errors.push({ path: `origins.${i}`, message: problem });
    else if (origins.indexOf(origin) !== i) errors.push({ path: `origins.${i}`, message: 'listed twice' });
  });
  return errors;
}

/**
 * Checks a whole affiliate draft, whoever calls (the admin API, seed scripts), and returns it
 * with its redeem URL in canonical form. Rules:
 * - every origin is exact (see {@link webOriginProblem}) and listed once;
 * - `redeemUrl` lies on one of the draft's own origins, so a link credential never sends a
 *   member (and the credential in its fragment) anywhere else;
 * - no origin belongs to another affiliate: the extension and the club map a page's origin to
 *   the affiliate it is registered to, and a shared origin would let one affiliate's pages ask
 *   for another's credentials. That is 409 `conflict`.
 *
 * @param selfId the affiliate being edited, whose own origins are no conflict; null on creation.
 */
export async function checkAffiliateDraft(
  store: Store,
  draft: AffiliateDraft,
  selfId: string | null,
): Promise<AffiliateDraft> {
  const errors = originErrors(draft.origins);
  if (errors.length > 0) throw new ClubpassError('invalid_request', 'the origins are not valid', { errors });
  let redeemUrl = draft.redeemUrl;
  if (redeemUrl !== null) {
    const problem = redeemUrlProblem(redeemUrl, draft.origins);
    if (problem !== null) {
      throw new ClubpassError('invalid_request', 'the redeem URL is not valid', {
        errors: [{ path: 'redeem_url', message: problem }],
      });
    }
    redeemUrl = canonicalUrl(redeemUrl);
  }
  // A full read of the affiliates table: fine at admin rates and partner-network sizes.
  const taken: FieldError[] = [];
  for (const other of await store.affiliates.listAll()) {
    if (other.id === selfId) continue;
    draft.origins.forEach((origin, i) => {
      if (other.origins.includes(origin)) {
        taken.push({ path: `origins.${i}`, message: `already registered to ${other.name} (${other.id})` });
      }
    });
  }
  if (taken.length > 0) {
    throw new ClubpassError('conflict', 'an origin is already registered to another affiliate', { errors: taken });
  }
  return { ...draft, redeemUrl };
}
