import type { Money } from '@clubpass/shared';

/** Money in minor units, shown with the currency's own number of decimals (JPY has none). */
export function formatMoney(money: Money): string {
  const format = new Intl.NumberFormat('en-IE', { style: 'currency', currency: money.currency });
  return format.format(money.amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

/** A timestamp as a shop owner reads it, in UTC so every page agrees. */
const TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export function formatTime(iso: string): string {
  return `${TIME.format(new Date(iso))} UTC`;
}

/** NumericDate seconds (JWT claims) as a timestamp. */
export function formatEpoch(seconds: unknown): string {
  return typeof seconds === 'number' ? formatTime(new Date(seconds * 1000).toISOString()) : '—';
}
