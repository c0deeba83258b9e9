import { html } from '../html.js';
import type { Merchant } from '../merchants.js';
import { customerOf, type Order } from '../orders.js';
import { formatEpoch, formatMoney, formatTime } from './format.js';
import { layout } from './layout.js';

/** The confirmation page: the order, and for member orders the club's signed receipt. */
export function orderPage(merchant: Merchant, order: Order): string {
  const customer = customerOf(order);
  const address = customer.address;
  const claims = order.receipt_claims === null ? null : (JSON.parse(order.receipt_claims) as Record<string, unknown>);
  const amount = claims?.amount as { amount: number; currency: string } | undefined;

  const receipt =
    order.redemption_id === null
      ? null
      : html`<section class="card receipt" data-testid="receipt">
    <h2>Clubpass receipt</h2>
    ${
      claims
        ? html`<p class="verified" data-testid="receipt-verified">✓ Signed by the club and verified by ${merchant.name}</p>`
        : html`<p class="error" data-testid="receipt-unverified">The club's receipt could not be verified. The benefit was redeemed; we will check the receipt with the club.</p>`
    }
    <dl data-testid="receipt-claims">
      <dt>Redemption</dt><dd data-testid="redemption-id">${order.redemption_id}</dd>
      <dt>Benefit</dt><dd data-testid="receipt-benefit">${order.benefit_title} <span class="muted">${claims?.benefit as string}</span></dd>
      <dt>Credential</dt><dd data-testid="receipt-credential">${order.credential_id}</dd>
      <dt>Billing reference</dt><dd data-testid="billing-ref">${order.billing_ref}</dd>
      <dt>The club pays us</dt><dd data-testid="billing-amount">${
        order.billing_amount === null
          ? '—'
          : formatMoney({ amount: order.billing_amount, currency: order.billing_currency as string })
      }</dd>
      ${claims && html`<dt>Receipt amount</dt><dd data-testid="receipt-amount">${amount ? formatMoney(amount) : '—'}</dd>`}
      ${claims && html`<dt>Issued by</dt><dd data-testid="receipt-issuer">${claims.iss as string}</dd>`}
      ${claims && html`<dt>Issued at</dt><dd data-testid="receipt-issued-at">${formatEpoch(claims.iat)}</dd>`}
    </dl>
  </section>`;

  return layout(
    { merchant, title: 'Order confirmed' },
    html`<section class="confirmation" data-testid="order-confirmation">
  <p class="eyebrow">Order <span data-testid="order-id">${order.id}</span></p>
  <h1>${merchant.copy.confirmation}${customer.given_name ? `, ${customer.given_name}` : ''}!</h1>
  <p>${merchant.copy.fulfilment}</p>
</section>
<div class="checkout">
  <section class="card">
    <h2>Order details</h2>
    <dl>
      <dt>Item</dt><dd>${order.product}</dd>
      <dt>Total</dt><dd><span data-testid="order-total">${formatMoney({ amount: order.total, currency: order.currency })}</span>${
        order.total !== order.list_price &&
        html` <s class="muted" data-testid="order-list-price">${formatMoney({ amount: order.list_price, currency: order.currency })}</s>`
      }</dd>
      <dt>Name</dt><dd data-testid="order-customer">${[customer.given_name, customer.family_name].filter(Boolean).join(' ')}</dd>
      ${
        address &&
        html`<dt>Ship to</dt><dd data-testid="order-address">${address.street_address}<br>${address.postal_code} ${address.locality}<br>${address.country}</dd>`
      }
      <dt>Placed</dt><dd>${formatTime(order.completed_at ?? order.created_at)}</dd>
    </dl>
    <p><a class="button secondary" href="/" data-testid="continue-shopping">Continue shopping</a></p>
  </section>
  ${receipt}
</div>`,
  );
}
