import type { Money } from '@clubpass/shared';
import { html } from '../html.js';
import type { Merchant } from '../merchants.js';
import { formatMoney, formatTime } from './format.js';
import { layout } from './layout.js';

export interface ProductView {
  merchant: Merchant;
  snippet: { clubUrl: string; affiliateId: string };
  member: {
    givenName: string | null;
    benefitTitle: string;
    /** Null when the benefit does not change this product's price. */
    price: Money | null;
    usableUntil: string;
  } | null;
}

export function productPage({ merchant, snippet, member }: ProductView): string {
  const { product } = merchant;
  const price =
    member?.price != null
      ? html`<p class="price">
    <s class="list-price" data-testid="list-price">${formatMoney(product.price)}</s>
    <strong class="member-price" data-testid="member-price">${formatMoney(member.price)}</strong>
    <span class="badge">Member price</span>
  </p>`
      : html`<p class="price"><strong data-testid="list-price">${formatMoney(product.price)}</strong></p>`;

  const membership = member
    ? html`<div class="clubpass-panel active" data-testid="membership-active">
    <p class="panel-title">${member.givenName ? `Welcome, ${member.givenName}!` : 'Welcome, member!'}</p>
    <p>Your Clubpass benefit <strong data-testid="benefit-title">${member.benefitTitle}</strong> is applied${
      member.price === null ? ', though it does not change the price of this item' : ''
    }.</p>
    <p class="fine">Held for you until ${formatTime(member.usableUntil)}.</p>
    <form method="post" action="/membership/forget">
      <button type="submit" class="link-button" data-testid="forget-membership">Not you? Remove membership</button>
    </form>
  </div>`
    : html`<div class="clubpass-panel">
    <p class="panel-title">Clubpass member?</p>
    <p>Show your membership to get your member price. You choose what you share.</p>
    <button type="button" id="use-membership" class="button clubpass" data-testid="use-membership"
      data-disclose="${merchant.disclose.join(' ')}">Use my Clubpass membership</button>
    <p id="membership-status" class="status" data-testid="membership-status" role="status"></p>
    <p id="membership-error" class="error" data-testid="membership-error" role="alert" hidden></p>
  </div>`;

  return layout(
    { merchant, title: product.name, snippet, scripts: member ? [] : ['product.js'] },
    html`<section class="product" data-testid="product">
  <div class="product-media">
    <img src="/static/${product.image}" alt="${product.name}" width="480" height="480">
  </div>
  <div class="product-info">
    <p class="eyebrow">${merchant.name}</p>
    <h1 data-testid="product-name">${product.name}</h1>
    ${price}
    <p class="description">${product.description}</p>
    <a class="button primary" href="/checkout" data-testid="buy-button">${merchant.copy.buy}</a>
    ${membership}
    <ul class="perks">
      ${
        merchant.ships
          ? html`<li>Free shipping within the EU</li><li>30-day returns</li>`
          : html`<li>Ready in about five minutes</li><li>Oat milk at no extra cost</li>`
      }
    </ul>
  </div>
</section>`,
  );
}
