import { html } from '../html.js';
import type { Merchant } from '../merchants.js';
import { customerFields } from './checkout.js';
import { formatMoney } from './format.js';
import { layout } from './layout.js';

/**
 * The page a link credential opens (PROTOCOL.md §9): `redeem_url#clubpass=<credential>`.
 * The credential is in the fragment, which the browser never sends to us; redeem.js reads it,
 * lets the member choose what to share, and posts only the cut-down presentation.
 */
export function redeemPage(merchant: Merchant): string {
  const { product } = merchant;
  return layout(
    { merchant, title: 'Redeem your Clubpass benefit', scripts: ['redeem.js'] },
    html`<h1>Redeem your Clubpass benefit</h1>
<noscript><p class="error">This page needs JavaScript to read your Clubpass link.</p></noscript>
<section class="card narrow" id="redeem-missing" data-testid="redeem-missing" hidden>
  <h2>No benefit found</h2>
  <p>Open the link from your Clubpass account again: it carries your benefit. We never see it until you redeem.</p>
  <p><a class="button secondary" href="/">Go to the shop</a></p>
</section>
<div class="checkout" id="redeem" hidden>
  <form class="card" id="redeem-form" method="post" action="/api/redeem-link" data-testid="redeem-form" data-disclose="${merchant.disclose.join(' ')}">
    <p class="error" id="redeem-error" role="alert" data-testid="redeem-error" hidden></p>
    <fieldset>
      <legend>What ${merchant.name} may see</legend>
      <p class="fine">Only what you tick is shared with us, signed by the club.</p>
      <div id="share-options" class="share-options" data-testid="share-options"></div>
    </fieldset>
    ${customerFields(merchant, {})}
    <fieldset>
      <legend>Your benefit PIN</legend>
      <label>The PIN you chose when you got this link
        <input name="pin" inputmode="numeric" pattern="[0-9]{4,12}" autocomplete="off" required data-testid="pin">
      </label>
    </fieldset>
    <button type="submit" class="button primary wide" data-testid="redeem-button">Redeem and ${merchant.copy.placeOrder.toLowerCase()}</button>
    <p class="fine">${merchant.copy.fulfilment}</p>
  </form>
  <aside class="card summary">
    <h2>Your benefit</h2>
    <p class="benefit-name" id="redeem-benefit" data-testid="redeem-benefit"></p>
    <div class="summary-item">
      <img src="/static/${product.image}" alt="" width="64" height="64">
      <span>${product.name}</span>
      <span>${formatMoney(product.price)}</span>
    </div>
    <p class="fine">Your member price is applied when you redeem.</p>
  </aside>
</div>`,
  );
}
