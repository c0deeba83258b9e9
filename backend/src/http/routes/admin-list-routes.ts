import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps.js';
import { requireAccount } from '../auth.js';
import { presentPage, readPageRequest } from '../pagination.js';
import { presentMember } from '../presenters/present-account.js';
import { presentAffiliate } from '../presenters/present-affiliate.js';
import { presentBenefit } from '../presenters/present-benefit.js';
import { idSchema } from '../schemas.js';
import { parseInput } from '../validate.js';

const membersQuery = z.object({ q: z.string().trim().max(254).optional() }).loose();
const benefitsQuery = z.object({ affiliate_id: idSchema('aff').optional() }).loose();

/**
 * Admin lists (PROTOCOL.md §8), paginated per §1, newest first:
 * `GET /v1/admin/members?q=` (an e-mail address, its beginning, or a membership number),
 * `GET /v1/admin/affiliates` and `GET /v1/admin/benefits?affiliate_id=`.
 */
export function adminListRoutes(deps: AppDeps): Router {
  const router = Router();
  const admin = requireAccount(deps, ['admin']);

  router.get('/v1/admin/members', admin, async (req, res) => {
    const page = readPageRequest(req.query);
    const { q } = parseInput(membersQuery, req.query, 'query');
    res.json(presentPage(await deps.store.accounts.list('member', page, q), presentMember));
  });

  router.get('/v1/admin/affiliates', admin, async (req, res) => {
    const page = readPageRequest(req.query);
    res.json(presentPage(await deps.store.affiliates.list(page), presentAffiliate));
  });

  router.get('/v1/admin/benefits', admin, async (req, res) => {
    const page = readPageRequest(req.query);
    const { affiliate_id: affiliateId } = parseInput(benefitsQuery, req.query, 'query');
    const benefits = await deps.store.benefits.list(page, { affiliateId });
    res.json(presentPage(benefits, (b) => presentBenefit(b)));
  });

  return router;
}
