import { html } from '../html.js';
import type { Merchant } from '../merchants.js';
import { customerOf, type Invoice, type Order } from '../orders.js';
import { formatMoney, formatTime } from './format.js';
import { layout } from './layout.js';

const REASONS: Record<string, string> = {
  unknown: 'The club has no such redemption',
  not_yours: 'Redeemed at another merchant',
  already_invoiced: 'Already on an earlier invoice',
  voided: 'The redemption was voided',
  amount_mismatch: 'The amount differs from the club’s ledger',
  duplicate_line: 'Listed twice on this invoice',
  out_of_period: 'Outside the invoice period',
};

export function reasonText(reason: string): string {
  return REASONS[reason] ?? reason;
}

function billingCell(order: Order) {
  if (order.redemption_id === null) return html`<span class="muted">No benefit</span>`;
  if (order.invoice_id !== null)
    return html`<a class="tag ok" href="/invoices/${order.invoice_id}" data-testid="billing-status">Billed</a>`;
  if (order.billing_rejection !== null)
    return html`<span class="tag bad" data-testid="billing-status" title="${reasonText(order.billing_rejection)}">Rejected: ${order.billing_rejection}</span>`;
  return html`<span class="tag" data-testid="billing-status">To bill</span>`;
}

/** The staff view: completed orders, what the club owes, and the "Bill the club" action. */
export function ordersPage(
  merchant: Merchant,
  orders: Order[],
  invoices: Invoice[],
  unbilled: number,
  notice: string | null,
): string {
  const rows = orders.map((order) => {
    const customer = customerOf(order);
    return html`<tr data-testid="order-row" data-order-id="${order.id}" data-redemption-id="${order.redemption_id ?? ''}">
      <td><a href="/orders/${order.id}">${order.id.slice(0, 12)}…</a><br><span class="muted">${formatTime(order.completed_at ?? order.created_at)}</span></td>
      <td>${[customer.given_name, customer.family_name].filter(Boolean).join(' ')}</td>
      <td>${formatMoney({ amount: order.total, currency: order.currency })}</td>
      <td>${order.benefit_title ?? html`<span class="muted">—</span>`}${
        order.redemption_id &&
        html`<br><span class="muted mono" data-testid="order-redemption-id">${order.redemption_id}</span>`
      }</td>
      <td>${
        order.billing_amount === null
          ? html`<span class="muted">—</span>`
          : html`${formatMoney({ amount: order.billing_amount, currency: order.billing_currency as string })}<br><span class="muted mono">${order.billing_ref}</span>`
      }</td>
      <td>${billingCell(order)}</td>
    </tr>`;
  });
  return layout(
    { merchant, title: 'Orders', nav: 'orders' },
    html`<div class="page-head">
  <div>
    <h1>Orders</h1>
    <p class="muted">Staff view. In a real shop this page sits behind your staff login.</p>
  </div>
  <form method="post" action="/orders/bill">
    <button type="submit" class="button primary" data-testid="bill-club" ${unbilled === 0 ? 'disabled' : ''}>Bill the club (${unbilled})</button>
  </form>
</div>
${notice && html`<p class="notice" role="status" data-testid="billing-notice">${notice}</p>`}
${
  orders.length === 0
    ? html`<p class="card" data-testid="no-orders">No orders yet.</p>`
    : html`<table class="card" data-testid="orders-table">
  <thead><tr><th>Order</th><th>Customer</th><th>Total</th><th>Clubpass benefit</th><th>Club pays</th><th>Billing</th></tr></thead>
  <tbody>${rows}</tbody>
</table>`
}
${
  invoices.length > 0 &&
  html`<h2>Invoices sent to the club</h2>
<ul class="invoice-list" data-testid="invoice-list">
  ${invoices.map(
    (invoice) =>
      html`<li><a href="/invoices/${invoice.id}" data-testid="invoice-link">${invoice.id}</a> <span class="muted">${formatTime(invoice.submitted_at)} · ${invoice.status}</span></li>`,
  )}
</ul>`
}`,
  );
}

interface Reconciliation {
  accepted: string[];
  rejected: { redemption_id: string; reason: string }[];
  total: { amount: number; currency: string | null };
}

/** The club's answer to one invoice: what it accepted, what it rejected and why, and the total. */
export function invoicePage(merchant: Merchant, invoice: Invoice): string {
  const r = JSON.parse(invoice.reconciliation) as Reconciliation;
  return layout(
    { merchant, title: 'Invoice', nav: 'orders' },
    html`<section class="card" data-testid="invoice">
  <p class="eyebrow">Invoice to the club</p>
  <h1>The club’s reconciliation</h1>
  <dl>
    <dt>Invoice</dt><dd class="mono" data-testid="invoice-id">${invoice.id}</dd>
    <dt>Status</dt><dd data-testid="invoice-status">${invoice.status}</dd>
    <dt>Period</dt><dd>${formatTime(invoice.period_start)} – ${formatTime(invoice.period_end)}</dd>
    <dt>Total accepted</dt><dd data-testid="invoice-total">${
      r.total.currency === null ? '—' : formatMoney({ amount: r.total.amount, currency: r.total.currency })
    }</dd>
  </dl>
  <h2>Accepted (<span data-testid="invoice-accepted-count">${r.accepted.length}</span>)</h2>
  ${
    r.accepted.length === 0
      ? html`<p class="muted">None.</p>`
      : html`<ul class="mono" data-testid="invoice-accepted">${r.accepted.map((id) => html`<li data-testid="invoice-accepted-line">${id}</li>`)}</ul>`
  }
  <h2>Rejected (<span data-testid="invoice-rejected-count">${r.rejected.length}</span>)</h2>
  ${
    r.rejected.length === 0
      ? html`<p class="muted">None.</p>`
      : html`<table data-testid="invoice-rejected"><thead><tr><th>Redemption</th><th>Reason</th></tr></thead><tbody>${r.rejected.map(
          (line) =>
            html`<tr data-testid="invoice-rejected-line"><td class="mono">${line.redemption_id}</td><td data-reason="${line.reason}">${reasonText(line.reason)}</td></tr>`,
        )}</tbody></table>`
  }
  <p><a class="button secondary" href="/orders" data-testid="back-to-orders">Back to orders</a></p>
</section>`,
  );
}
