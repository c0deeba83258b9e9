import { Router } from 'express';
import { z } from 'zod';
import {
  createAffiliateAudited,
  issueApiKeyAudited,
  revokeApiKeyAudited,
  updateAffiliateAudited,
} from '../../domain/admin/audited-actions.js';
import { MAX_ORIGINS } from '../../domain/affiliates/check-affiliate.js';
import { notFoundError } from '../../domain/affiliates/not-found.js';
import { webOriginProblem } from '../../domain/affiliates/web-origin.js';
import type { AppDeps } from '../app-deps.js';
import { auditActor, requireAccount } from '../auth.js';
import { presentAffiliate, presentApiKey, presentNewApiKey } from '../presenters/present-affiliate.js';
import { emailSchema } from '../schemas.js';
import { parseInput } from '../validate.js';

const nameField = z.string().trim().min(1, 'enter a name').max(200);
// Checked here too (the domain checks again), so a bad origin is reported beside other bad fields.
const originField = z
  .string()
  .max(300)
  .superRefine((value, ctx) => {
    const problem = webOriginProblem(value);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });
const originsField = z.array(originField).min(1, 'register at least one origin').max(MAX_ORIGINS);
const redeemUrlField = z.string().max(2048);

const createBody = z
  .object({
    name: nameField,
    origins: originsField,
    redeem_url: redeemUrlField.optional(),
    contact_email: emailSchema.optional(),
  })
  .strict();

const updateBody = z
  .object({
    name: nameField.optional(),
    origins: originsField.optional(),
    redeem_url: redeemUrlField.nullable().optional(),
    contact_email: emailSchema.nullable().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'send at least one field to change');

/**
 * The admin API for affiliates and their API keys (PROTOCOL.md §8):
 * `POST /v1/admin/affiliates`, `GET|PATCH /v1/admin/affiliates/{id}`, and
 * `GET|POST /v1/admin/affiliates/{id}/api-keys`, `DELETE …/api-keys/{key_id}`.
 * Admin sessions only: no token is 401, a member's is 403.
 */
export function adminAffiliateRoutes(deps: AppDeps): Router {
  const router = Router();
  const admin = requireAccount(deps, ['admin']);

  router.post('/v1/admin/affiliates', admin, async (req, res) => {
    const body = parseInput(createBody, req.body);
    const { affiliate, apiKey } = await createAffiliateAudited(deps, auditActor(req, res), {
      name: body.name,
      origins: body.origins,
      redeemUrl: body.redeem_url ?? null,
      contactEmail: body.contact_email ?? null,
    });
    // The key is in this response only: no cache anywhere may keep a copy.
    res
      .status(201)
      .set('Cache-Control', 'no-store')
      .location(`/v1/admin/affiliates/${affiliate.id}`)
      .json({ ...presentAffiliate(affiliate), api_key: apiKey.secret, api_key_id: apiKey.key.id });
  });

  router.get('/v1/admin/affiliates/:id', admin, async (req, res) => {
    const affiliate = await deps.store.affiliates.findById(req.params.id as string);
    if (affiliate === null) throw notFoundError('affiliate', req.params.id as string);
    res.json(presentAffiliate(affiliate));
  });

  router.patch('/v1/admin/affiliates/:id', admin, async (req, res) => {
    const body = parseInput(updateBody, req.body);
    const affiliate = await updateAffiliateAudited(deps, auditActor(req, res), req.params.id as string, {
      name: body.name,
      origins: body.origins,
      redeemUrl: body.redeem_url,
      contactEmail: body.contact_email,
    });
    res.json(presentAffiliate(affiliate));
  });

  router.get('/v1/admin/affiliates/:id/api-keys', admin, async (req, res) => {
    const id = req.params.id as string;
    if ((await deps.store.affiliates.findById(id)) === null) throw notFoundError('affiliate', id);
    const keys = await deps.store.affiliates.listApiKeys(id);
    // Keys per affiliate are few (a handful, rotated by hand): one page, in the list envelope.
    res.json({ data: keys.map(presentApiKey), next_cursor: null });
  });

  router.post('/v1/admin/affiliates/:id/api-keys', admin, async (req, res) => {
    const { key, secret } = await issueApiKeyAudited(deps, auditActor(req, res), req.params.id as string);
    res
      .status(201)
      .set('Cache-Control', 'no-store')
      .location(`/v1/admin/affiliates/${key.affiliateId}/api-keys/${key.id}`)
      .json(presentNewApiKey(key, secret));
  });

  router.delete('/v1/admin/affiliates/:id/api-keys/:keyId', admin, async (req, res) => {
    await revokeApiKeyAudited(deps, auditActor(req, res), req.params.id as string, req.params.keyId as string);
    res.status(204).end();
  });

  return router;
}
