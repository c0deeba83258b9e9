import type { ClubpassError, FieldError } from '@clubpass/shared';
import { z } from 'zod';
import { type AffiliateDraft, MAX_ORIGINS } from '../../domain/affiliates/check-affiliate.js';
import { emailSchema } from '../../http/schemas.js';
import type { Affiliate } from '../../store/affiliate-store.js';
import { formText } from '../page-helpers.js';
import { type FieldErrors, groupErrors } from '../render.js';

/** The affiliate form as typed: every field a string, origins one per line. */
export interface AffiliateFormValues {
  name: string;
  origins: string;
  redeem_url: string;
  contact_email: string;
}

export const AFFILIATE_LABELS: Record<keyof AffiliateFormValues, string> = {
  name: 'Name',
  origins: 'Web origins',
  redeem_url: 'Redeem URL',
  contact_email: 'Contact e-mail',
};

export function affiliateFormValues(body: unknown): AffiliateFormValues {
  return {
    name: formText(body, 'name'),
    origins: formText(body, 'origins'),
    redeem_url: formText(body, 'redeem_url'),
    contact_email: formText(body, 'contact_email'),
  };
}

export function affiliateFormFrom(affiliate: Affiliate): AffiliateFormValues {
  return {
    name: affiliate.name,
    origins: affiliate.origins.join('\n'),
    redeem_url: affiliate.redeemUrl ?? '',
    contact_email: affiliate.contactEmail ?? '',
  };
}

/** The origins textarea as a list: one per line, blank lines left out. */
function originLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

// The field rules of the JSON admin API (name, contact e-mail); origins and the redeem URL are
// checked by the domain (checkAffiliateDraft), whose errors come back with the same paths.
const formSchema = z.object({
  name: z.string().trim().min(1, 'enter a name').max(200, 'use at most 200 characters'),
  origins: z.array(z.string().max(300)).max(MAX_ORIGINS, `register at most ${MAX_ORIGINS} origins`),
  redeem_url: z.string().trim().max(2048),
  contact_email: z.union([z.literal(''), emailSchema]),
});

/** Parses the form into a draft for the domain, or per-field errors. */
export function parseAffiliateForm(values: AffiliateFormValues): { draft: AffiliateDraft } | { errors: FieldErrors } {
  const origins = originLines(values.origins);
  const parsed = formSchema.safeParse({ ...values, origins });
  if (!parsed.success) {
    return {
      errors: groupErrors(
        parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        affiliateField,
      ),
    };
  }
  const { name, redeem_url: redeemUrl, contact_email: contactEmail } = parsed.data;
  return {
    draft: {
      name,
      origins,
      redeemUrl: redeemUrl === '' ? null : redeemUrl,
      contactEmail: contactEmail === '' ? null : contactEmail,
    },
  };
}

/** The form field of an error path (`origins.2` → `origins`); null for a form-wide one. */
function affiliateField(path: string): string | null {
  const root = path.split('.')[0] ?? '';
  return root in AFFILIATE_LABELS ? root : null;
}

/**
 * The field errors of a domain refusal (ClubpassError.errors): bad or taken origins (named by
 * line, so the admin sees which one), a redeem URL off the origins.
 */
export function affiliateDomainErrors(error: ClubpassError, draft: AffiliateDraft): FieldErrors {
  const errors: FieldError[] = (error.errors ?? [{ path: '_form', message: error.message }]).map((e) => {
    const match = /^origins\.(\d+)$/.exec(e.path);
    if (match) {
      const i = Number(match[1]);
      return { path: 'origins', message: `line ${i + 1} (${draft.origins[i] ?? ''}): ${e.message}` };
    }
    return e;
  });
  return groupErrors(errors, affiliateField);
}
