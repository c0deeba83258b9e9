import { Router } from 'express';
import type { AppDeps } from '../../http/app-deps.js';
import { pageRequest, pager } from '../page-helpers.js';
import { renderPage } from '../render.js';

/** The audit log: every admin action, newest first, on its own page. Read-only: it has no forms. */
export function auditPages(deps: AppDeps): Router {
  const router = Router();

  router.get('/console/audit', async (req, res) => {
    const page = await deps.store.audit.list(pageRequest(req, 50));
    renderPage(req, res, '/audit', {
      title: 'Audit log',
      nav: 'audit',
      entries: page.items.map((e) => ({
        ...e,
        details: Object.entries(e.detail).map(([key, value]) => ({
          key,
          value: Array.isArray(value) ? value.join(', ') : value === null ? '—' : String(value),
        })),
      })),
      pager: pager('/console/audit', {}, page, req),
    });
  });

  return router;
}
