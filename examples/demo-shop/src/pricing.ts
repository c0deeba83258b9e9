import type { BenefitClaim, Money } from '@clubpass/shared';

/**
 * What a member pays with this benefit, from the terms the club signed into the credential.
 * Null when the benefit does not change the price of this product (e.g. exclusive access).
 */
export function memberPrice(price: Money, benefit: BenefitClaim): Money | null {
  const { terms, kind } = benefit;
  if (terms.percent_off !== undefined) {
    return { amount: Math.round((price.amount * (100 - terms.percent_off)) / 100), currency: price.currency };
  }
  if (terms.amount_off !== undefined) {
    // An amount in another currency is not ours to convert.
    if (terms.amount_off.currency !== price.currency) return null;
    return { amount: Math.max(0, price.amount - terms.amount_off.amount), currency: price.currency };
  }
  if (kind === 'free_goods' || kind === 'free_services') return { amount: 0, currency: price.currency };
  return null;
}
