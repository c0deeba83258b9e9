import { html, type SafeHtml } from '../html.js';
import type { Merchant } from '../merchants.js';

export interface PageOptions {
  merchant: Merchant;
  title: string;
  /** Page scripts under /static. Never inline: the CSP allows only files from us and the club. */
  scripts?: string[];
  /** The club's snippet, on pages that ask for a membership (PROTOCOL.md §9). */
  snippet?: { clubUrl: string; affiliateId: string };
  nav?: 'shop' | 'orders';
}

/** The frame of every page. */
export function layout(options: PageOptions, body: SafeHtml): string {
  const { merchant, title, scripts = [], snippet, nav = 'shop' } = options;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${merchant.name}</title>
<link rel="stylesheet" href="/static/shop.css">
<link rel="icon" href="/static/${merchant.product.image}">
${snippet && html`<script src="${snippet.clubUrl}/snippet/v1.js" data-affiliate="${snippet.affiliateId}" async></script>`}
${scripts.map((src) => html`<script src="/static/${src}" defer></script>`)}
</head>
<body class="merchant-${merchant.mode}" data-testid="merchant-${merchant.mode}">
<header class="site-header">
  <div class="wrap">
    <a class="brand" href="/" data-testid="brand"><span class="brand-mark" aria-hidden="true">${merchant.name.charAt(0)}</span>${merchant.name}</a>
    <nav>
      <a href="/" class="${nav === 'shop' ? 'active' : ''}" data-testid="nav-shop">Shop</a>
      <a href="/orders" class="${nav === 'orders' ? 'active' : ''}" data-testid="nav-orders">Orders</a>
    </nav>
  </div>
</header>
<main class="wrap">
${body}
</main>
<footer class="site-footer">
  <div class="wrap">
    <span>${merchant.name} · ${merchant.tagline}</span>
    <span class="partner">Clubpass partner: members get their benefits here.</span>
  </div>
</footer>
</body>
</html>
`.value;
}

/** A page that only says what went wrong. */
export function messagePage(merchant: Merchant, title: string, message: string): string {
  return layout(
    { merchant, title },
    html`<section class="card narrow">
  <h1>${title}</h1>
  <p data-testid="page-message">${message}</p>
  <p><a class="button secondary" href="/">Back to the shop</a></p>
</section>`,
  );
}
