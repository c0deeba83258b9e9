import { Router } from 'express';
import type { AppDeps } from '../app-deps.js';
import { presentPage, readPageRequest } from '../pagination.js';
import { presentCatalogEntry } from '../presenters/present-benefit.js';

/**
 * `GET /v1/catalog` (PROTOCOL.md §6), public: the benefits on offer now (active, inside their
 * validity window), newest first, as a paginated list. Only member-facing fields are shown.
 */
export function catalogRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/v1/catalog', async (req, res) => {
    const page = readPageRequest(req.query);
    const offered = await deps.store.benefits.listOffered(deps.clock.now().toISOString(), page);
    res.json(presentPage(offered, presentCatalogEntry));
  });
  return router;
}
