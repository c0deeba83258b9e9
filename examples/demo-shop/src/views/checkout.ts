import type { Money } from '@clubpass/shared';
import { html, type SafeHtml } from '../html.js';
import type { Merchant } from '../merchants.js';
import { formatMoney } from './format.js';
import { layout } from './layout.js';

/** The form's values as text, prefilled from what the member disclosed or what they typed. */
export interface CustomerFields {
  given_name?: string;
  family_name?: string;
  street_address?: string;
  postal_code?: string;
  locality?: string;
  country?: string;
}

const COUNTRIES: [string, string][] = [
  ['AT', 'Austria'],
  ['BE', 'Belgium'],
  ['DK', 'Denmark'],
  ['FR', 'France'],
  ['DE', 'Germany'],
  ['IE', 'Ireland'],
  ['IT', 'Italy'],
  ['NL', 'Netherlands'],
  ['ES', 'Spain'],
  ['SE', 'Sweden'],
];

function field(name: keyof CustomerFields, label: string, values: CustomerFields, autocomplete: string): SafeHtml {
  return html`<label>${label}
      <input name="${name}" value="${values[name] ?? ''}" autocomplete="${autocomplete}" required data-testid="${name.replace('_', '-')}">
    </label>`;
}

/** The customer's name and, for goods we ship, their address: shared by checkout and the link page. */
export function customerFields(merchant: Merchant, values: CustomerFields): SafeHtml {
  const countries = COUNTRIES.some(([code]) => code === values.country)
    ? COUNTRIES
    : values.country
      ? [...COUNTRIES, [values.country, values.country] as [string, string]]
      : COUNTRIES;
  if (!merchant.ships) {
    return html`<fieldset>
    <legend>Your name</legend>
    ${field('given_name', 'Name for the order', values, 'given-name')}
  </fieldset>`;
  }
  return html`<fieldset>
    <legend>Shipping details</legend>
    <div class="row">
      ${field('given_name', 'First name', values, 'given-name')}
      ${field('family_name', 'Last name', values, 'family-name')}
    </div>
    ${field('street_address', 'Street and number', values, 'street-address')}
    <div class="row">
      ${field('postal_code', 'Postal code', values, 'postal-code')}
      ${field('locality', 'City', values, 'address-level2')}
    </div>
    <label>Country
      <select name="country" required data-testid="country" autocomplete="country">
        ${countries.map(
          ([code, name]) =>
            html`<option value="${code}" ${code === (values.country ?? 'DE') ? 'selected' : ''}>${name}</option>`,
        )}
      </select>
    </label>
  </fieldset>`;
}

export interface CheckoutView {
  merchant: Merchant;
  values: CustomerFields;
  member: { benefitTitle: string; pinRequired: boolean } | null;
  total: Money;
  error: string | null;
}

export function checkoutPage({ merchant, values, member, total, error }: CheckoutView): string {
  const { product } = merchant;
  const saving = product.price.amount - total.amount;
  return layout(
    { merchant, title: 'Checkout' },
    html`<h1>Checkout</h1>
<div class="checkout">
  <form method="post" action="/checkout" class="card" data-testid="checkout-form">
    ${error && html`<p class="error" role="alert" data-testid="checkout-error">${error}</p>`}
    ${customerFields(merchant, values)}
    ${
      member?.pinRequired &&
      html`<fieldset>
      <legend>Your benefit PIN</legend>
      <label>PIN you chose for this benefit
        <input name="pin" inputmode="numeric" pattern="[0-9]{4,12}" autocomplete="off" required data-testid="pin">
      </label>
    </fieldset>`
    }
    <button type="submit" class="button primary wide" data-testid="place-order">${merchant.copy.placeOrder}</button>
    <p class="fine">${merchant.copy.fulfilment}</p>
  </form>
  <aside class="card summary" data-testid="order-summary">
    <h2>Your order</h2>
    <div class="summary-item">
      <img src="/static/${product.image}" alt="" width="64" height="64">
      <span>${product.name}</span>
      <span>${formatMoney(product.price)}</span>
    </div>
    ${
      member &&
      html`<div class="summary-line benefit" data-testid="summary-benefit">
      <span>Clubpass: ${member.benefitTitle}</span><span>−${formatMoney({ amount: saving, currency: total.currency })}</span>
    </div>`
    }
    <div class="summary-line total"><span>Total</span><strong data-testid="order-total">${formatMoney(total)}</strong></div>
    ${!member && html`<p class="fine">Clubpass member? <a href="/" data-testid="back-to-product">Show your membership</a> on the product page first.</p>`}
  </aside>
</div>`,
  );
}
