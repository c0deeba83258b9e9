import { rfc3339 } from '../../clock.js';
import type { Redemption } from '../../store/redemption-store.js';

/** A redemption as the affiliate sees it (PROTOCOL.md §7). */
export function presentRedemption(redemption: Redemption) {
  return {
    id: redemption.id,
    credential_id: redemption.credentialId,
    benefit: redemption.benefit,
    disclosed: redemption.disclosed,
    billing: {
      amount: redemption.price.amount,
      currency: redemption.price.currency,
      billing_ref: redemption.billingRef,
    },
    order_ref: redemption.orderRef,
    order_total: redemption.orderTotal,
    redeemed_at: rfc3339(redemption.redeemedAt),
    status: redemption.voidedAt !== null ? 'voided' : redemption.billingStatus === 'invoiced' ? 'invoiced' : 'redeemed',
    voided_at: redemption.voidedAt === null ? null : rfc3339(redemption.voidedAt),
    void_reason: redemption.voidReason,
    invoice_id: redemption.invoiceId,
    receipt: redemption.receipt,
  };
}
