import type { Invoice, LedgerEntry } from '../store/invoice-store.js';

const HEADER = [
  'invoice_id',
  'affiliate_id',
  'period_start',
  'period_end',
  'invoice_status',
  'redemption_id',
  'line_amount',
  'line_currency',
  'result',
  'reason',
  'ledger_amount',
  'ledger_currency',
  'redeemed_at',
];

/** A CSV cell: always quoted, and never read as a formula by a spreadsheet (CSV injection). */
function cell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

/**
 * An invoice's reconciliation as CSV: one row per line the affiliate claimed, with the club's
 * result (accepted or rejected, and why) beside what the ledger holds for that redemption.
 * Amounts stay integer minor units, as everywhere in the protocol.
 */
export function invoiceCsv(invoice: Invoice, ledger: Map<string, LedgerEntry>): string {
  const rows = invoice.lines.map((line) => {
    const entry = ledger.get(line.redemptionId);
    return [
      invoice.id,
      invoice.affiliateId,
      invoice.periodStart,
      invoice.periodEnd,
      invoice.status,
      line.redemptionId,
      line.amount.amount,
      line.amount.currency,
      line.reason === null ? 'accepted' : 'rejected',
      line.reason,
      entry?.amount.amount,
      entry?.amount.currency,
      entry?.redeemedAt,
    ]
      .map(cell)
      .join(',');
  });
  return `${[HEADER.join(','), ...rows].join('\r\n')}\r\n`;
}
