import { ClubpassError } from '@clubpass/shared';
import { Router } from 'express';
import { z } from 'zod';
import { advanceInvoiceAudited } from '../../domain/admin/audited-actions.js';
import { billingStatement } from '../../domain/callbacks/billing-statement.js';
import type { AppDeps } from '../app-deps.js';
import { auditActor, requireAccount } from '../auth.js';
import { presentPage, readPageRequest } from '../pagination.js';
import { presentInvoice } from '../presenters/present-invoice.js';
import { presentRedemption } from '../presenters/present-redemption.js';
import { timestampSchema } from '../schemas.js';
import { parseInput } from '../validate.js';

const redemptionQuery = z.object({
  affiliate_id: z.string().min(1).max(100).optional(),
  since: timestampSchema.optional(),
  until: timestampSchema.optional(),
});
const invoiceQuery = z.object({ affiliate_id: z.string().min(1).max(100).optional() });
const statementQuery = z.object({ since: timestampSchema, until: timestampSchema });

/** Admin views of the ledger: redemptions, invoices (approve, mark paid) and CSV statements. */
export function adminBillingRoutes(deps: AppDeps): Router {
  const router = Router();
  const adminOnly = requireAccount(deps, ['admin']);

  router.get('/v1/admin/redemptions', adminOnly, async (req, res) => {
    const q = parseInput(redemptionQuery.loose(), req.query, 'query');
    const page = await deps.store.redemptions.list(
      { affiliateId: q.affiliate_id, since: q.since, until: q.until },
      readPageRequest(req.query),
    );
    res.json(presentPage(page, presentRedemption));
  });

  router.get('/v1/admin/invoices', adminOnly, async (req, res) => {
    const q = parseInput(invoiceQuery.loose(), req.query, 'query');
    res.json(
      presentPage(
        await deps.store.invoices.list({ affiliateId: q.affiliate_id }, readPageRequest(req.query)),
        presentInvoice,
      ),
    );
  });

  router.get('/v1/admin/invoices/:id', adminOnly, async (req, res) => {
    const invoice = await deps.store.invoices.findById(String(req.params.id));
    if (invoice === null) throw new ClubpassError('not_found', 'no such invoice');
    res.json(presentInvoice(invoice));
  });

  router.post('/v1/admin/invoices/:id/approve', adminOnly, async (req, res) => {
    res.json(
      presentInvoice(await advanceInvoiceAudited(deps, auditActor(req, res), String(req.params.id), 'approved')),
    );
  });

  router.post('/v1/admin/invoices/:id/paid', adminOnly, async (req, res) => {
    res.json(presentInvoice(await advanceInvoiceAudited(deps, auditActor(req, res), String(req.params.id), 'paid')));
  });

  router.get('/v1/admin/affiliates/:id/statement.csv', adminOnly, async (req, res) => {
    const q = parseInput(statementQuery.loose(), req.query, 'query');
    const affiliate = await deps.store.affiliates.findById(String(req.params.id));
    if (affiliate === null) throw new ClubpassError('not_found', 'no such affiliate');
    const csv = await billingStatement(deps, affiliate.id, { since: q.since, until: q.until });
    res
      .type('text/csv; charset=utf-8')
      .attachment(`statement-${affiliate.id}-${q.since.slice(0, 10)}-${q.until.slice(0, 10)}.csv`)
      .send(csv);
  });

  return router;
}
