import {
  BENEFIT_KINDS,
  type BenefitKind,
  type BenefitTerms,
  type ClubpassError,
  DISCLOSABLE_CLAIMS,
  type DisclosableClaim,
  type FieldError,
} from '@clubpass/shared';
import { webUrlProblem } from '../../domain/affiliates/web-origin.js';
import {
  type BenefitDraft,
  DEFAULT_CREDENTIAL_TTL_SECONDS,
  MAX_CREDENTIAL_TTL_SECONDS,
} from '../../domain/benefits/check-benefit.js';
import type { Benefit } from '../../store/benefit-store.js';
import { currencyExponent, datetimeLocal, decimalAmount } from '../format.js';
import { formList, formText } from '../page-helpers.js';
import { type FieldErrors, groupErrors } from '../render.js';

/** The benefit form as typed: strings, and the list of ticked claims. */
export interface BenefitFormValues {
  affiliate_id: string;
  kind: string;
  title: string;
  description: string;
  percent_off: string;
  amount_off: string;
  terms_description: string;
  access_url: string;
  price: string;
  currency: string;
  ttl_days: string;
  valid_from: string;
  valid_until: string;
  per_member_limit: string;
  total_limit: string;
  requires: string[];
}

export const BENEFIT_LABELS: Record<keyof BenefitFormValues | 'terms', string> = {
  affiliate_id: 'Affiliate',
  kind: 'Kind',
  title: 'Title',
  description: 'Description',
  terms: 'Terms',
  percent_off: 'Percent off',
  amount_off: 'Amount off',
  terms_description: 'Terms in words',
  access_url: 'Access URL',
  price: 'Price paid per redemption',
  currency: 'Currency',
  ttl_days: 'Credential lifetime (days)',
  valid_from: 'Valid from (UTC)',
  valid_until: 'Valid until (UTC)',
  per_member_limit: 'Limit per member',
  total_limit: 'Total limit',
  requires: 'Requested member details',
};

const SECONDS_PER_DAY = 86_400;

export function emptyBenefitForm(affiliateId: string): BenefitFormValues {
  return {
    affiliate_id: affiliateId,
    kind: 'product_discount',
    title: '',
    description: '',
    percent_off: '',
    amount_off: '',
    terms_description: '',
    access_url: '',
    price: '',
    currency: 'EUR',
    ttl_days: String(DEFAULT_CREDENTIAL_TTL_SECONDS / SECONDS_PER_DAY),
    valid_from: '',
    valid_until: '',
    per_member_limit: '',
    total_limit: '',
    requires: [],
  };
}

export function benefitFormValues(body: unknown): BenefitFormValues {
  const text = (name: string) => formText(body, name);
  return {
    affiliate_id: text('affiliate_id'),
    kind: text('kind'),
    title: text('title'),
    description: text('description'),
    percent_off: text('percent_off'),
    amount_off: text('amount_off'),
    terms_description: text('terms_description'),
    access_url: text('access_url'),
    price: text('price'),
    currency: text('currency'),
    ttl_days: text('ttl_days'),
    valid_from: text('valid_from'),
    valid_until: text('valid_until'),
    per_member_limit: text('per_member_limit'),
    total_limit: text('total_limit'),
    requires: formList(body, 'requires'),
  };
}

export function benefitFormFrom(benefit: Benefit): BenefitFormValues {
  const { terms } = benefit;
  return {
    affiliate_id: benefit.affiliateId,
    kind: benefit.kind,
    title: benefit.title,
    description: benefit.description ?? '',
    percent_off: terms.percent_off === undefined ? '' : String(terms.percent_off),
    amount_off: terms.amount_off === undefined ? '' : decimalAmount(terms.amount_off.amount, terms.amount_off.currency),
    terms_description: terms.description ?? '',
    access_url: terms.access_url ?? '',
    price: decimalAmount(benefit.price.amount, benefit.price.currency),
    currency: benefit.price.currency,
    ttl_days: String(Number((benefit.credentialTtlSeconds / SECONDS_PER_DAY).toFixed(4))),
    valid_from: datetimeLocal(benefit.validFrom),
    valid_until: datetimeLocal(benefit.validUntil),
    per_member_limit: benefit.perMemberLimit === null ? '' : String(benefit.perMemberLimit),
    total_limit: benefit.totalLimit === null ? '' : String(benefit.totalLimit),
    requires: [...benefit.requires],
  };
}

/** A decimal amount as typed (`2.50`, `2,5`, `300`) in minor units of `currency`, or why not. */
export function minorUnits(text: string, currency: string): number | string {
  const exponent = currencyExponent(currency);
  const match = /^(\d{1,13})(?:[.,](\d+))?$/.exec(text.trim());
  if (!match) return 'enter an amount such as 2.50';
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) {
    return exponent === 0 ? `${currency} has no minor unit: enter a whole amount` : `use at most ${exponent} decimals`;
  }
  return Number(`${match[1]}${fraction.padEnd(exponent, '0')}`);
}

/** A `datetime-local` value read as UTC, as the stored ISO form; '' is null. */
function utcTime(text: string): string | null | 'invalid' {
  const value = text.trim();
  if (value === '') return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?$/.test(value)) return 'invalid';
  const date = new Date(`${value}${value.length === 16 ? ':00' : ''}Z`);
  return Number.isNaN(date.getTime()) ? 'invalid' : date.toISOString();
}

/** A whole number in [min, max] as typed; '' is null. */
function wholeNumber(text: string, min: number, max: number): number | null | 'invalid' {
  const value = text.trim();
  if (value === '') return null;
  if (!/^\d{1,12}$/.test(value)) return 'invalid';
  const n = Number(value);
  return n >= min && n <= max ? n : 'invalid';
}

/**
 * Parses the form into a draft for the domain (which checks the cross-field rules again), or
 * per-field errors. Amounts are typed as decimals in the price's currency; the amount off, when
 * given, is in the same currency.
 */
export function parseBenefitForm(
  values: BenefitFormValues,
  options: { active: boolean },
): { draft: BenefitDraft; affiliateId: string } | { errors: FieldErrors } {
  const errors: FieldError[] = [];
  const fail = (path: string, message: string) => errors.push({ path, message });

  const kind = values.kind as BenefitKind;
  if (!(BENEFIT_KINDS as readonly string[]).includes(kind)) fail('kind', 'choose a kind');
  const title = values.title.trim();
  if (title === '') fail('title', 'enter a title');
  else if (title.length > 200) fail('title', 'use at most 200 characters');
  const description = values.description.trim();
  if (description.length > 4000) fail('description', 'use at most 4000 characters');

  const currency = values.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) fail('currency', 'use an ISO 4217 code such as EUR');
  const price = minorUnits(values.price, /^[A-Z]{3}$/.test(currency) ? currency : 'EUR');
  if (typeof price === 'string') fail('price', values.price.trim() === '' ? 'enter the price' : price);

  const terms: BenefitTerms = {};
  const percent = wholeNumber(values.percent_off, 1, 100);
  if (percent === 'invalid') fail('percent_off', 'enter a whole number from 1 to 100');
  else if (percent !== null) terms.percent_off = percent;
  if (values.amount_off.trim() !== '') {
    const amount = minorUnits(values.amount_off, /^[A-Z]{3}$/.test(currency) ? currency : 'EUR');
    if (typeof amount === 'string') fail('amount_off', amount);
    else if (amount <= 0) fail('amount_off', 'must be more than zero');
    else terms.amount_off = { amount, currency };
  }
  const termsText = values.terms_description.trim();
  if (termsText.length > 1000) fail('terms_description', 'use at most 1000 characters');
  else if (termsText !== '') terms.description = termsText;
  const accessUrl = values.access_url.trim();
  if (accessUrl !== '') {
    const problem = webUrlProblem(accessUrl);
    if (problem !== null) fail('access_url', problem);
    else terms.access_url = accessUrl;
  }

  const days = Number(values.ttl_days.trim().replace(',', '.'));
  const ttl = Math.round(days * SECONDS_PER_DAY);
  if (values.ttl_days.trim() === '' || !Number.isFinite(days) || ttl < 1 || ttl > MAX_CREDENTIAL_TTL_SECONDS) {
    fail('ttl_days', `enter a number of days from 1 to ${MAX_CREDENTIAL_TTL_SECONDS / SECONDS_PER_DAY}`);
  }

  const validFrom = utcTime(values.valid_from);
  if (validFrom === 'invalid') fail('valid_from', 'enter a date and time');
  const validUntil = utcTime(values.valid_until);
  if (validUntil === 'invalid') fail('valid_until', 'enter a date and time');

  const perMember = wholeNumber(values.per_member_limit, 1, 1_000_000_000);
  if (perMember === 'invalid') fail('per_member_limit', 'enter a whole number of at least 1, or leave it empty');
  const total = wholeNumber(values.total_limit, 1, 1_000_000_000);
  if (total === 'invalid') fail('total_limit', 'enter a whole number of at least 1, or leave it empty');

  const requires = [...new Set(values.requires)];
  if (requires.some((claim) => !(DISCLOSABLE_CLAIMS as readonly string[]).includes(claim))) {
    fail('requires', 'choose only the listed details');
  }

  if (errors.length > 0) return { errors: groupErrors(errors, benefitField) };
  return {
    affiliateId: values.affiliate_id.trim(),
    draft: {
      kind,
      title,
      description: description === '' ? null : description,
      terms,
      price: { amount: price as number, currency },
      credentialTtlSeconds: ttl,
      validFrom: validFrom as string | null,
      validUntil: validUntil as string | null,
      perMemberLimit: perMember as number | null,
      totalLimit: total as number | null,
      requires: requires as DisclosableClaim[],
      active: options.active,
    },
  };
}

/** The form field of an error path, from the form or the domain (`terms.access_url`, `price.amount`). */
export function benefitField(path: string): string | null {
  const map: Record<string, string> = {
    'terms.percent_off': 'percent_off',
    'terms.amount_off': 'amount_off',
    'terms.description': 'terms_description',
    'terms.access_url': 'access_url',
    credential_ttl_seconds: 'ttl_days',
    affiliate_id: 'affiliate_id',
  };
  for (const [prefix, field] of Object.entries(map)) {
    if (path === prefix || path.startsWith(`${prefix}.`)) return field;
  }
  const root = path.split('.')[0] ?? '';
  if (root === 'price') return path.endsWith('currency') ? 'currency' : 'price';
  return root in BENEFIT_LABELS ? root : null;
}

/** The field errors of a domain refusal (ClubpassError.errors). */
export function benefitDomainErrors(error: ClubpassError): FieldErrors {
  return groupErrors(error.errors ?? [{ path: '_form', message: error.message }], benefitField);
}
