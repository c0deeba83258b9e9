import { ClubpassError } from '@clubpass/shared';
import { Router } from 'express';
import type { AppDeps } from '../../http/app-deps.js';
import { pageRequest, pager, param, queryText } from '../page-helpers.js';
import { type FieldErrors, renderPage } from '../render.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A `YYYY-MM-DD` day as the ISO time of its UTC start, shifted by `plusDays`; null when not a day. */
function dayStart(value: string, plusDays = 0): string | null {
  if (!DAY.test(value)) return null;
  const date = new Date(`${value}T00:00:00.000Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) return null;
  return new Date(date.getTime() + plusDays * 86_400_000).toISOString();
}

/** The parts of a compact JWS (the receipt) as JSON, for reading; never trusted for anything. */
function decodeJws(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } | null {
  const [header, payload] = token.split('.');
  if (header === undefined || payload === undefined) return null;
  try {
    return {
      header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>,
      claims: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>,
    };
  } catch {
    return null;
  }
}

/** A disclosed claim's value as text (an address object as its parts). */
function claimText(value: unknown): string {
  if (value !== null && typeof value === 'object') {
    return Object.values(value as Record<string, unknown>)
      .map((v) => String(v))
      .join(', ');
  }
  return String(value);
}

/**
 * Redemptions: the ledger filtered by affiliate and by UTC day range (the `redemptions_affiliate_at`
 * and `redemptions_at` indexes), newest first; one redemption with its receipt and billing line.
 */
export function redemptionPages(deps: AppDeps): Router {
  const router = Router();

  router.get('/console/redemptions', async (req, res) => {
    const affiliateId = queryText(req, 'affiliate_id', 100);
    const sinceText = queryText(req, 'since', 10);
    const untilText = queryText(req, 'until', 10);
    const errors: FieldErrors = {};
    const since = sinceText === '' ? null : dayStart(sinceText);
    const until = untilText === '' ? null : dayStart(untilText, 1);
    if (sinceText !== '' && since === null) errors.since = ['enter a date such as 2026-12-01'];
    if (untilText !== '' && until === null) errors.until = ['enter a date such as 2026-12-31'];
    if (since !== null && until !== null && since >= until) errors.until = ['must not be before the first day'];
    const filters = { affiliate_id: affiliateId, since: sinceText, until: untilText };
    const affiliates = await deps.store.affiliates.listAll();
    const names = new Map(affiliates.map((a) => [a.id, a.name]));
    const page =
      Object.keys(errors).length > 0
        ? { items: [], nextCursor: null }
        : await deps.store.redemptions.list(
            {
              ...(affiliateId ? { affiliateId } : {}),
              ...(since ? { since } : {}),
              ...(until ? { until } : {}),
            },
            pageRequest(req),
          );
    renderPage(
      req,
      res,
      '/redemptions',
      {
        title: 'Redemptions',
        nav: 'redemptions',
        filters,
        errors,
        filtered: affiliateId !== '' || sinceText !== '' || untilText !== '',
        affiliates: [
          { value: '', label: 'All affiliates' },
          ...affiliates.map((a) => ({ value: a.id, label: a.name })),
        ],
        redemptions: page.items.map((r) => ({ ...r, affiliateName: names.get(r.affiliateId) ?? r.affiliateId })),
        pager: pager('/console/redemptions', filters, page, req),
      },
      { status: Object.keys(errors).length > 0 ? 400 : 200 },
    );
  });

  router.get('/console/redemptions/:id', async (req, res) => {
    const redemption = await deps.store.redemptions.findById(param(req, 'id'));
    if (redemption === null) throw new ClubpassError('not_found', 'no such redemption');
    const affiliate = await deps.store.affiliates.findById(redemption.affiliateId);
    const receipt = decodeJws(redemption.receipt);
    renderPage(req, res, '/redemption', {
      title: `Redemption ${redemption.id}`,
      nav: 'redemptions',
      r: redemption,
      affiliate,
      receipt,
      receiptIssuedAt:
        receipt && typeof receipt.claims.iat === 'number' ? new Date(receipt.claims.iat * 1000).toISOString() : null,
      disclosed: Object.entries(redemption.disclosed).map(([name, value]) => ({ name, value: claimText(value) })),
    });
  });

  return router;
}
