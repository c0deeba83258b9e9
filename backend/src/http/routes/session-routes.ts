import { Router } from 'express';
import { z } from 'zod';
import { rfc3339 } from '../../clock.js';
import { recordAdminSession } from '../../domain/admin/audited-actions.js';
import { signIn } from '../../domain/sessions/sign-in.js';
import type { AppDeps } from '../app-deps.js';
import { accountOf, auditActor, requireAccount } from '../auth.js';
import { emailSchema } from '../schemas.js';
import { parseInput } from '../validate.js';

const signInBody = z.object({ email: emailSchema, password: z.string().min(1).max(1024) });

/** `POST /v1/sessions` and `DELETE /v1/sessions/current` (PROTOCOL.md §6). */
export function sessionRoutes(deps: AppDeps): Router {
  const router = Router();
  router.post('/v1/sessions', async (req, res) => {
    const body = parseInput(signInBody, req.body);
    const result = await signIn(deps, {
      email: body.email,
      password: body.password,
      clientAddress: req.ip ?? 'unknown',
      kind: 'bearer',
    });
    if (result.role === 'admin') {
      await recordAdminSession(deps, { accountId: result.accountId, ip: req.ip ?? null }, 'sign_in', 'api');
    }
    res.status(201).json({ token: result.token, expires_at: rfc3339(result.expiresAt), role: result.role });
  });
  router.delete('/v1/sessions/current', requireAccount(deps, ['member', 'admin']), async (req, res) => {
    const account = accountOf(res);
    await deps.store.sessions.delete(account.tokenDigest);
    if (account.role === 'admin') await recordAdminSession(deps, auditActor(req, res), 'sign_out', 'api');
    res.status(204).end();
  });
  return router;
}
