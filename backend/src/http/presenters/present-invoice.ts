import { rfc3339 } from '../../clock.js';
import type { Invoice } from '../../store/invoice-store.js';

/** An invoice with the club's reconciliation (PROTOCOL.md §7). */
export function presentInvoice(invoice: Invoice) {
  return {
    id: invoice.id,
    affiliate_id: invoice.affiliateId,
    status: invoice.status,
    period_start: rfc3339(invoice.periodStart),
    period_end: rfc3339(invoice.periodEnd),
    accepted: invoice.lines.filter((l) => l.reason === null).map((l) => l.redemptionId),
    rejected: invoice.lines
      .filter((l) => l.reason !== null)
      .map((l) => ({ redemption_id: l.redemptionId, reason: l.reason })),
    lines: invoice.lines.map((l) => ({
      redemption_id: l.redemptionId,
      amount: l.amount,
      accepted: l.reason === null,
      reason: l.reason,
    })),
    total: { amount: invoice.total.amount, currency: invoice.total.currency },
    created_at: rfc3339(invoice.createdAt),
    approved_at: invoice.approvedAt === null ? null : rfc3339(invoice.approvedAt),
    paid_at: invoice.paidAt === null ? null : rfc3339(invoice.paidAt),
  };
}
