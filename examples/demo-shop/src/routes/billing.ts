import { Router } from 'express';
import { ClubProblem, ClubUnreachable, type InvoiceAnswer } from '../club.js';
import type { ShopContext } from '../context.js';
import { findInvoice, listCompletedOrders, listInvoices, recordInvoice, unbilledOrders } from '../orders.js';
import { invoicePage, ordersPage } from '../views/billing.js';
import { messagePage } from '../views/layout.js';

const NOTICES: Record<string, string> = {
  none: 'There is nothing to bill: every redemption is already on an invoice.',
  unreachable: 'We could not reach the club to send the invoice. Please try again in a moment.',
};

/** The staff side: completed orders, billing the club for redemptions, and the club's answers. */
export function billingRoutes(ctx: ShopContext): Router {
  const router = Router();
  const { merchant } = ctx.settings;

  router.get('/orders', async (req, res) => {
    const [orders, invoices, unbilled] = await Promise.all([
      listCompletedOrders(ctx.db),
      listInvoices(ctx.db),
      unbilledOrders(ctx.db),
    ]);
    const notice = NOTICES[String(req.query.notice)] ?? null;
    res.send(ordersPage(merchant, orders, invoices, unbilled.length, notice));
  });

  /**
   * "Bill the club": one invoice line per redemption not yet accepted, at the amount the club
   * quoted when it redeemed. The club reconciles each line against its ledger; we keep its answer
   * and mark only the accepted lines billed, so a rejected one can be looked into and sent again.
   */
  router.post('/orders/bill', async (_req, res) => {
    const orders = await unbilledOrders(ctx.db);
    const first = orders[0];
    if (!first) return res.redirect(303, '/orders?notice=none');
    const now = ctx.clock.now();
    // From the oldest redemption to just after now: the club refuses lines outside the period.
    const period = { start: first.redeemed_at as string, end: new Date(now.getTime() + 1000).toISOString() };
    let answer: InvoiceAnswer;
    try {
      answer = await ctx.club.submitInvoice({
        period_start: period.start,
        period_end: period.end,
        lines: orders.map((order) => ({
          redemption_id: order.redemption_id as string,
          amount: { amount: order.billing_amount as number, currency: order.billing_currency as string },
        })),
      });
    } catch (error) {
      if (error instanceof ClubProblem || error instanceof ClubUnreachable) {
        console.warn(`invoice not sent: ${error.message}`);
        return res.redirect(303, '/orders?notice=unreachable');
      }
      throw error;
    }
    await recordInvoice(ctx.db, answer, period, now);
    res.redirect(303, `/invoices/${answer.id}`);
  });

  router.get('/invoices/:id', async (req, res) => {
    const invoice = await findInvoice(ctx.db, req.params.id);
    if (!invoice) return res.status(404).send(messagePage(merchant, 'Invoice not found', 'We have no such invoice.'));
    res.send(invoicePage(merchant, invoice));
  });

  return router;
}
