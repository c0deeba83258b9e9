import { ClubpassError } from '@clubpass/shared';
import { type Request, Router } from 'express';
import { advanceInvoiceAudited } from '../../domain/admin/audited-actions.js';
import type { AppDeps } from '../../http/app-deps.js';
import type { Invoice } from '../../store/invoice-store.js';
import { invoiceCsv } from '../invoice-csv.js';
import { actorOf, pageRequest, pager, param, queryText } from '../page-helpers.js';
import { renderPage } from '../render.js';

const STATUSES = ['submitted', 'approved', 'paid'] as const;

/**
 * Invoices: the list (by affiliate or by status, newest first), each invoice's reconciliation
 * (accepted and rejected lines with the reasons), approve, mark paid, and a CSV download.
 */
export function invoicePages(deps: AppDeps): Router {
  const router = Router();

  async function findInvoice(req: Request): Promise<Invoice> {
    const invoice = await deps.store.invoices.findById(param(req, 'id'));
    if (invoice === null) throw new ClubpassError('not_found', 'no such invoice');
    return invoice;
  }

  router.get('/console/invoices', async (req, res) => {
    const affiliateId = queryText(req, 'affiliate_id', 100);
    const statusText = queryText(req, 'status', 20);
    const status = (STATUSES as readonly string[]).includes(statusText) ? (statusText as Invoice['status']) : undefined;
    const page = await deps.store.invoices.list(
      { ...(affiliateId ? { affiliateId } : {}), ...(status ? { status } : {}) },
      pageRequest(req),
    );
    const affiliates = await deps.store.affiliates.listAll();
    const names = new Map(affiliates.map((a) => [a.id, a.name]));
    const filters = { affiliate_id: affiliateId, status: status ?? '' };
    renderPage(req, res, '/invoices', {
      title: 'Invoices',
      nav: 'invoices',
      filters,
      filtered: affiliateId !== '' || status !== undefined,
      affiliates: [{ value: '', label: 'All affiliates' }, ...affiliates.map((a) => ({ value: a.id, label: a.name }))],
      statuses: [
        { value: '', label: 'Any status' },
        { value: 'submitted', label: 'Submitted (awaiting approval)' },
        { value: 'approved', label: 'Approved (awaiting payment)' },
        { value: 'paid', label: 'Paid' },
      ],
      invoices: page.items.map((i) => ({
        ...i,
        affiliateName: names.get(i.affiliateId) ?? i.affiliateId,
        accepted: i.lines.filter((l) => l.reason === null).length,
        rejected: i.lines.filter((l) => l.reason !== null).length,
      })),
      pager: pager('/console/invoices', filters, page, req),
    });
  });

  router.get('/console/invoices/:id', async (req, res) => {
    const invoice = await findInvoice(req);
    const [affiliate, ledger] = await Promise.all([
      deps.store.affiliates.findById(invoice.affiliateId),
      deps.store.invoices.ledgerEntries(invoice.lines.map((l) => l.redemptionId)),
    ]);
    renderPage(req, res, '/invoice', {
      title: `Invoice ${invoice.id}`,
      nav: 'invoices',
      invoice,
      affiliate,
      lines: invoice.lines.map((l) => ({ ...l, ledger: ledger.get(l.redemptionId) ?? null })),
      accepted: invoice.lines.filter((l) => l.reason === null).length,
      rejected: invoice.lines.filter((l) => l.reason !== null).length,
    });
  });

  router.get('/console/invoices/:id/csv', async (req, res) => {
    const invoice = await findInvoice(req);
    const ledger = await deps.store.invoices.ledgerEntries(invoice.lines.map((l) => l.redemptionId));
    res
      .set('Cache-Control', 'no-store')
      .type('text/csv; charset=utf-8')
      .attachment(`invoice-${invoice.id}.csv`)
      .send(invoiceCsv(invoice, ledger));
  });

  for (const [action, to, done] of [
    ['approve', 'approved', 'invoice-approved'],
    ['paid', 'paid', 'invoice-paid'],
  ] as const) {
    router.post(`/console/invoices/:id/${action}`, async (req, res) => {
      const invoice = await findInvoice(req);
      await advanceInvoiceAudited(deps, actorOf(req, res), invoice.id, to);
      res.redirect(303, `/console/invoices/${invoice.id}?done=${done}`);
    });
  }

  return router;
}
