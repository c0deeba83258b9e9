import type { Money } from '@clubpass/shared';

// Formatting for the console's pages. Every function returns plain text: the templates escape it.

/** Digits after the decimal point of a currency's minor unit (2 for EUR, 0 for JPY). */
export function currencyExponent(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Money in minor units as a person reads it: `€2.50`, `¥300`. */
export function money(value: Money | { amount: number; currency: string | null } | null | undefined): string {
  if (!value || typeof value !== 'object' || typeof value.amount !== 'number') return '—';
  if (typeof value.currency !== 'string') return String(value.amount);
  const exponent = currencyExponent(value.currency);
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: value.currency }).format(
      value.amount / 10 ** exponent,
    );
  } catch {
    return `${value.amount} ${value.currency}`;
  }
}

/** Minor units as the decimal an admin types in a form (`250` EUR → `2.50`). */
export function decimalAmount(amount: number, currency: string): string {
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(amount);
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(amount)).padStart(exponent + 1, '0');
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** No-break space: a time never wraps inside a narrow table cell. */
const NBSP = '\u00a0';

/** A stored ISO time as `2026-12-03 15:04 UTC`; the console shows every time in UTC. */
export function time(value: string | null | undefined): string {
  if (!value) return '—';
  const iso = new Date(value).toISOString();
  return `${iso.slice(0, 10)}${NBSP}${iso.slice(11, 16)}${NBSP}UTC`;
}

/** A stored ISO time as the value of a `datetime-local` input (UTC, minutes). */
export function datetimeLocal(value: string | null | undefined): string {
  return value ? new Date(value).toISOString().slice(0, 16) : '';
}

/** A stored ISO time as its UTC day, `2026-12-03`. */
export function day(value: string | null | undefined): string {
  return value ? new Date(value).toISOString().slice(0, 10) : '—';
}

/** A whole number with thousands separators. */
export function count(value: number): string {
  return new Intl.NumberFormat('en').format(value);
}

/** A benefit kind or claim name for reading: `product_discount` → `Product discount`. */
export function humanize(value: string): string {
  const text = value.replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A duration in seconds as days, hours or minutes. */
export function duration(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds % size === 0 && seconds >= size) {
      const n = seconds / size;
      return `${count(n)} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${count(seconds)} seconds`;
}

/** The colour family of a status badge. */
export type Tone = 'green' | 'blue' | 'amber' | 'red' | 'grey';

const TONES: Record<string, Tone> = {
  active: 'green',
  issued: 'green',
  accepted: 'green',
  paid: 'green',
  current: 'green',
  live: 'green',
  redeemed: 'blue',
  approved: 'blue',
  invoiced: 'blue',
  published: 'blue',
  submitted: 'amber',
  open: 'amber',
  locked: 'red',
  revoked: 'red',
  rejected: 'red',
  voided: 'red',
  withdrawn: 'grey',
  expired: 'grey',
  cancelled: 'grey',
  retired: 'grey',
};

/** A status badge: the label to show and its colour family. */
export function badge(status: string): { label: string; tone: Tone } {
  return { label: humanize(status), tone: TONES[status] ?? 'grey' };
}

/** Why the club rejected an invoice line, in words (PROTOCOL.md §7 reasons). */
export const REJECTION_REASONS: Record<string, string> = {
  unknown: 'No such redemption in the ledger',
  not_yours: 'The redemption belongs to another affiliate',
  already_invoiced: 'Already claimed on an earlier invoice',
  voided: 'The redemption was voided',
  amount_mismatch: 'The amount or currency differs from the ledger',
  duplicate_line: 'The same redemption appears twice on this invoice',
  out_of_period: 'Redeemed outside the invoice period',
};

/** Builds a console URL with query parameters, leaving out empty ones. */
export function url(path: string, params: Record<string, string | number | null | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') query.set(key, String(value));
  }
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** The helpers every template gets as `it.h`. */
export const helpers = {
  money,
  decimalAmount,
  time,
  datetimeLocal,
  day,
  count,
  humanize,
  duration,
  badge,
  url,
  reason: (code: string | null) => (code === null ? '' : (REJECTION_REASONS[code] ?? humanize(code))),
};
