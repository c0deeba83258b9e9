import { Router } from 'express';
import type { AppDeps } from '../../http/app-deps.js';
import { renderPage } from '../render.js';

/** Days the dashboard chart covers, today included. */
export const CHART_DAYS = 30;

/** The UTC days from `first` for `days` days, as `YYYY-MM-DD`. */
function dayRange(first: Date, days: number): string[] {
  return Array.from({ length: days }, (_, i) => new Date(first.getTime() + i * 86_400_000).toISOString().slice(0, 10));
}

/**
 * The dashboard: members, credentials issued and redeemed today and over the last 30 days (UTC
 * days, today included), what the club owes its affiliates, and a chart of both series per day.
 */
export function dashboardPages(deps: AppDeps): Router {
  const router = Router();

  router.get('/console', async (req, res) => {
    const now = deps.clock.now();
    const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const first = new Date(today.getTime() - (CHART_DAYS - 1) * 86_400_000);
    const since = first.toISOString();
    const [members, issued, redeemed, owed, awaiting] = await Promise.all([
      deps.store.accounts.count('member'),
      deps.store.adminCredentials.issuedPerDay(since),
      deps.store.redemptions.redeemedPerDay(since),
      deps.store.invoices.owedByCurrency(),
      deps.store.invoices.list({ status: 'submitted' }, { limit: 5, after: null }),
    ]);
    const days = dayRange(first, CHART_DAYS);
    const byDay = (rows: { day: string; count: number }[]) => {
      const map = new Map(rows.map((r) => [r.day, r.count]));
      return days.map((d) => map.get(d) ?? 0);
    };
    const issuedSeries = byDay(issued);
    const redeemedSeries = byDay(redeemed);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const todayKey = days[days.length - 1];
    const affiliates = new Map((await deps.store.affiliates.listAll()).map((a) => [a.id, a.name]));
    renderPage(
      req,
      res,
      '/dashboard',
      {
        title: 'Dashboard',
        nav: 'dashboard',
        members,
        issuedToday: issuedSeries[issuedSeries.length - 1] ?? 0,
        issued30: sum(issuedSeries),
        redeemedToday: redeemedSeries[redeemedSeries.length - 1] ?? 0,
        redeemed30: sum(redeemedSeries),
        owed,
        days,
        todayKey,
        issuedSeries,
        redeemedSeries,
        chart: JSON.stringify({ days, issued: issuedSeries, redeemed: redeemedSeries }),
        awaiting: awaiting.items.map((i) => ({ ...i, affiliateName: affiliates.get(i.affiliateId) ?? i.affiliateId })),
      },
      { scripts: ['/console/static/chart.umd.min.js', '/console/static/dashboard.js'] },
    );
  });

  return router;
}
