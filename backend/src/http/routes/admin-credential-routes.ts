import { ClubpassError } from '@clubpass/shared';
import { Router } from 'express';
import { z } from 'zod';
import { revokeCredentialAudited } from '../../domain/admin/audited-actions.js';
import type { AppDeps } from '../app-deps.js';
import { auditActor, requireAccount } from '../auth.js';
import { presentPage, readPageRequest } from '../pagination.js';
import { presentCredentialRecord } from '../presenters/present-credential-record.js';
import { parseInput } from '../validate.js';

const listQuery = z.object({
  member_id: z.string().min(1).max(100).optional(),
  benefit_id: z.string().min(1).max(100).optional(),
  id: z.string().min(1).max(100).optional(),
});

/** `GET /v1/admin/credentials` and `POST /v1/admin/credentials/{id}/revoke` (PROTOCOL.md §8). */
export function adminCredentialRoutes(deps: AppDeps): Router {
  const router = Router();
  const adminOnly = requireAccount(deps, ['admin']);

  router.get('/v1/admin/credentials', adminOnly, async (req, res) => {
    const q = parseInput(listQuery.loose(), req.query, 'query');
    const page = await deps.store.adminCredentials.list(
      { memberId: q.member_id, benefitId: q.benefit_id, id: q.id },
      readPageRequest(req.query),
    );
    const now = deps.clock.now();
    res.json(presentPage(page, (r) => presentCredentialRecord(r, now)));
  });

  router.get('/v1/admin/credentials/:id', adminOnly, async (req, res) => {
    const record = await deps.store.adminCredentials.find(String(req.params.id));
    if (record === null) throw new ClubpassError('not_found', 'no such credential');
    res.json(presentCredentialRecord(record, deps.clock.now()));
  });

  router.post('/v1/admin/credentials/:id/revoke', adminOnly, async (req, res) => {
    const record = await revokeCredentialAudited(deps, auditActor(req, res), String(req.params.id));
    res.json(presentCredentialRecord(record, deps.clock.now()));
  });

  return router;
}
