import type { Redemption } from '../../store/redemption-store.js';
import type { Store } from '../../store/store.js';

const HEADER = [
  'redemption_id',
  'redeemed_at',
  'benefit_id',
  'benefit_title',
  'billing_ref',
  'amount',
  'currency',
  'status',
  'invoice_id',
  'voided_at',
];

/** A CSV cell: quoted, and never read as a formula by a spreadsheet (CSV injection). */
function cell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

function row(r: Redemption): string {
  const status = r.voidedAt !== null ? 'voided' : r.billingStatus;
  return [
    r.id,
    r.redeemedAt,
    r.benefit.id,
    r.benefit.title,
    r.billingRef,
    r.price.amount,
    r.price.currency,
    status,
    r.invoiceId,
    r.voidedAt,
  ]
    .map(cell)
    .join(',');
}

/**
 * An affiliate's billing statement for a period as CSV: every redemption with its billing state.
 * Amounts stay in integer minor units, as everywhere. Reads page by page, so a long period
 * never loads the whole ledger at once.
 */
export async function billingStatement(
  deps: { store: Store },
  affiliateId: string,
  period: { since: string; until: string },
): Promise<string> {
  const lines = [HEADER.join(',')];
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const page = await deps.store.redemptions.list(
      { affiliateId, since: period.since, until: period.until },
      { limit: 200, after },
    );
    for (const r of page.items) lines.push(row(r));
    const last = page.items[page.items.length - 1];
    if (page.nextCursor === null || last === undefined) break;
    after = { at: last.redeemedAt, id: last.id };
  }
  return `${lines.join('\r\n')}\r\n`;
}
