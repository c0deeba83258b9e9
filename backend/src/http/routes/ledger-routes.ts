import { ClubpassError } from '@clubpass/shared';
import { Router } from 'express';
import { z } from 'zod';
import { submitInvoice } from '../../domain/callbacks/submit-invoice.js';
import { voidRedemption } from '../../domain/callbacks/void-redemption.js';
import type { AppDeps } from '../app-deps.js';
import { affiliateOf, requireAffiliate } from '../auth.js';
import { presentPage, readPageRequest } from '../pagination.js';
import { presentInvoice } from '../presenters/present-invoice.js';
import { presentRedemption } from '../presenters/present-redemption.js';
import { moneySchema, timestampSchema } from '../schemas.js';
import { parseInput } from '../validate.js';

const rangeQuery = z.object({ since: timestampSchema.optional(), until: timestampSchema.optional() });
const voidBody = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
const invoiceBody = z
  .object({
    period_start: timestampSchema,
    period_end: timestampSchema,
    lines: z
      .array(z.object({ redemption_id: z.string().min(1).max(100), amount: moneySchema }).strict())
      .min(1)
      .max(1000),
  })
  .strict();

function notFound(what: string): ClubpassError {
  return new ClubpassError('not_found', `no such ${what}`);
}

/**
 * The affiliate's own ledger: its redemptions, voids and invoices (PROTOCOL.md §7). An id that
 * belongs to another affiliate is 404, exactly like one that does not exist.
 */
export function ledgerRoutes(deps: AppDeps): Router {
  const router = Router();
  const affiliateOnly = requireAffiliate(deps);

  router.get('/v1/redemptions', affiliateOnly, async (req, res) => {
    const range = parseInput(rangeQuery.loose(), req.query, 'query');
    const page = await deps.store.redemptions.list(
      { affiliateId: affiliateOf(res).affiliateId, since: range.since, until: range.until },
      readPageRequest(req.query),
    );
    res.json(presentPage(page, presentRedemption));
  });

  router.get('/v1/redemptions/:id', affiliateOnly, async (req, res) => {
    const redemption = await deps.store.redemptions.findById(String(req.params.id));
    if (redemption === null || redemption.affiliateId !== affiliateOf(res).affiliateId) throw notFound('redemption');
    res.json(presentRedemption(redemption));
  });

  router.post('/v1/redemptions/:id/void', affiliateOnly, async (req, res) => {
    const body = parseInput(voidBody, req.body);
    const redemption = await voidRedemption(deps, affiliateOf(res).affiliateId, String(req.params.id), body.reason);
    res.json(presentRedemption(redemption));
  });

  router.post('/v1/invoices', affiliateOnly, async (req, res) => {
    const body = parseInput(invoiceBody, req.body);
    const invoice = await submitInvoice(deps, affiliateOf(res).affiliateId, {
      periodStart: body.period_start,
      periodEnd: body.period_end,
      lines: body.lines.map((l) => ({ redemptionId: l.redemption_id, amount: l.amount })),
    });
    res.status(201).location(`/v1/invoices/${invoice.id}`).json(presentInvoice(invoice));
  });

  router.get('/v1/invoices', affiliateOnly, async (req, res) => {
    const page = await deps.store.invoices.list(
      { affiliateId: affiliateOf(res).affiliateId },
      readPageRequest(req.query),
    );
    res.json(presentPage(page, presentInvoice));
  });

  router.get('/v1/invoices/:id', affiliateOnly, async (req, res) => {
    const invoice = await deps.store.invoices.findById(String(req.params.id));
    if (invoice === null || invoice.affiliateId !== affiliateOf(res).affiliateId) throw notFound('invoice');
    res.json(presentInvoice(invoice));
  });

  return router;
}
