import { type Clock, ClubpassError, type Money } from '@clubpass/shared';
import { newId } from '../../ids.js';
import type { Invoice, InvoiceLine, LedgerEntry, RejectionReason } from '../../store/invoice-store.js';
import type { Store } from '../../store/store.js';

export interface InvoiceRequest {
  periodStart: string;
  periodEnd: string;
  lines: { redemptionId: string; amount: Money }[];
}

function reasonFor(
  line: InvoiceRequest['lines'][number],
  entry: LedgerEntry | undefined,
  affiliateId: string,
  request: InvoiceRequest,
  currency: string | null,
): RejectionReason | null {
  if (entry === undefined) return 'unknown';
  if (entry.affiliateId !== affiliateId) return 'not_yours';
  if (entry.voided || entry.billingStatus === 'cancelled') return 'voided';
  if (entry.billingStatus === 'invoiced') return 'already_invoiced';
  if (entry.redeemedAt < request.periodStart || entry.redeemedAt >= request.periodEnd) return 'out_of_period';
  if (line.amount.amount !== entry.amount.amount || line.amount.currency !== entry.amount.currency)
    return 'amount_mismatch';
  // One invoice, one currency: the first accepted line sets it.
  if (currency !== null && entry.amount.currency !== currency) return 'amount_mismatch';
  return null;
}

/**
 * `POST /v1/invoices`: reconciles every line against the ledger (PROTOCOL.md §7) and, in the same
 * transaction, marks the accepted lines invoiced with a conditional write, so a redemption is
 * billed once even when two invoices naming it race.
 */
export async function submitInvoice(
  deps: { store: Store; clock: Clock },
  affiliateId: string,
  request: InvoiceRequest,
): Promise<Invoice> {
  if (request.periodEnd <= request.periodStart) {
    throw new ClubpassError('invalid_request', 'period_end must be after period_start', {
      errors: [{ path: 'period_end', message: 'must be after period_start' }],
    });
  }
  const now = deps.clock.now().toISOString();
  const id = newId('inv');
  return deps.store.transaction(async (tx) => {
    const entries = await tx.invoices.ledgerEntries(request.lines.map((l) => l.redemptionId));
    const seen = new Set<string>();
    const lines: InvoiceLine[] = [];
    let currency: string | null = null;
    for (const line of request.lines) {
      const reason: RejectionReason | null = seen.has(line.redemptionId)
        ? 'duplicate_line'
        : reasonFor(line, entries.get(line.redemptionId), affiliateId, request, currency);
      seen.add(line.redemptionId);
      if (reason === null) currency ??= line.amount.currency;
      lines.push({ redemptionId: line.redemptionId, amount: line.amount, reason });
    }
    // Claim the lines in one fixed order (by redemption id), whatever order the invoice lists
    // them in: two invoices racing for the same redemptions then never deadlock on PostgreSQL.
    const claims = lines.filter((l) => l.reason === null).sort((a, b) => (a.redemptionId < b.redemptionId ? -1 : 1));
    for (const line of claims) {
      if (!(await tx.invoices.markInvoiced(line.redemptionId, affiliateId, id))) line.reason = 'already_invoiced';
    }
    const total = lines.reduce((sum, l) => (l.reason === null ? sum + l.amount.amount : sum), 0);
    const invoice: Invoice = {
      id,
      affiliateId,
      periodStart: request.periodStart,
      periodEnd: request.periodEnd,
      status: 'submitted',
      // With no line accepted the total is zero in the currency the affiliate billed in: still valid Money.
      total: { amount: total, currency: currency ?? request.lines[0]?.amount.currency ?? null },
      lines,
      createdAt: now,
      approvedAt: null,
      paidAt: null,
    };
    await tx.invoices.insert(invoice);
    return invoice;
  });
}
