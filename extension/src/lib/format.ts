/** Display formatting for benefits and dates. Pure; locale fixed per call for testability. */

const KIND_LABELS: Record<string, string> = {
  prize: 'Prize',
  product_discount: 'Product discount',
  service_discount: 'Service discount',
  free_goods: 'Free goods',
  free_services: 'Free service',
  exclusive_access: 'Exclusive access',
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind.replaceAll('_', ' ');
}

/** Money in minor units (PROTOCOL.md §1) as a localized amount, e.g. `€5.00`. */
export function formatMoney(money: unknown, locale = 'en'): string | null {
  if (typeof money !== 'object' || money === null) return null;
  const { amount, currency } = money as Record<string, unknown>;
  if (typeof amount !== 'number' || !Number.isInteger(amount) || typeof currency !== 'string') return null;
  try {
    const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(amount / 10 ** digits);
  } catch {
    return `${amount} ${currency}`;
  }
}

/** The headline of a benefit's terms: "20% off", "€5.00 off", or null when neither is set. */
export function termsHeadline(terms: Record<string, unknown>, locale = 'en'): string | null {
  if (typeof terms.percent_off === 'number') return `${terms.percent_off}% off`;
  const amount = formatMoney(terms.amount_off, locale);
  return amount === null ? null : `${amount} off`;
}

/** The terms' free-text description, if any. */
export function termsDescription(terms: Record<string, unknown>): string | null {
  return typeof terms.description === 'string' && terms.description.trim() !== '' ? terms.description : null;
}

/** A date as "3 Dec 2026". */
export function formatDate(iso: string | number, locale = 'en'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' }).format(date);
}

/** A date and time as "3 Dec 2026, 15:04". */
export function formatDateTime(iso: string | number, locale = 'en'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(date);
}

/** "Expires today", "Expires in 3 days", "Expired 2 days ago". */
export function expiryText(iso: string, now: Date): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  const day = 24 * 60 * 60 * 1000;
  const diff = at - now.getTime();
  if (diff <= 0) {
    const ago = Math.floor(-diff / day);
    return ago === 0 ? 'Expired today' : `Expired ${ago} day${ago === 1 ? '' : 's'} ago`;
  }
  const hours = Math.ceil(diff / (60 * 60 * 1000));
  if (hours < 24) return `Expires in ${hours} hour${hours === 1 ? '' : 's'}`;
  const days = Math.floor(diff / day);
  return `Expires in ${days} day${days === 1 ? '' : 's'}`;
}

/** The host of an origin for compact display: `https://shop.example` → `shop.example`. */
export function originHost(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
}

/** Decodes a receipt JWS's payload for display, without verifying it (the club signed it for the affiliate). */
export function receiptSummary(receipt: string): { id: string | null; amount: string | null } {
  const part = receipt.split('.')[1];
  if (!part) return { id: null, amount: null };
  try {
    const json = atob(part.replaceAll('-', '+').replaceAll('_', '/'));
    const payload = JSON.parse(json) as Record<string, unknown>;
    return {
      id: typeof payload.jti === 'string' ? payload.jti : null,
      amount: formatMoney(payload.amount),
    };
  } catch {
    return { id: null, amount: null };
  }
}
