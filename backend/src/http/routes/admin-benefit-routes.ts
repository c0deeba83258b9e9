import { BENEFIT_KINDS, DISCLOSABLE_CLAIMS } from '@clubpass/shared';
import { Router } from 'express';
import { z } from 'zod';
import { createBenefitAudited, updateBenefitAudited } from '../../domain/admin/audited-actions.js';
import { notFoundError } from '../../domain/affiliates/not-found.js';
import { webUrlProblem } from '../../domain/affiliates/web-origin.js';
import { DEFAULT_CREDENTIAL_TTL_SECONDS, MAX_CREDENTIAL_TTL_SECONDS } from '../../domain/benefits/check-benefit.js';
import type { AppDeps } from '../app-deps.js';
import { auditActor, requireAccount } from '../auth.js';
import { presentBenefit } from '../presenters/present-benefit.js';
import { idSchema, moneySchema, timestampSchema } from '../schemas.js';
import { parseInput } from '../validate.js';

const termsSchema = z
  .object({
    percent_off: z.number().int('use a whole number').min(1).max(100).optional(),
    amount_off: moneySchema.refine((m) => m.amount > 0, 'must be more than zero').optional(),
    description: z.string().trim().min(1).max(1000).optional(),
    access_url: z
      .string()
      .max(2048)
      .superRefine((value, ctx) => {
        const problem = webUrlProblem(value);
        if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
  })
  .strict();

const limitField = z.number().int('use a whole number').min(1).max(1_000_000_000);

const requiresField = z
  .array(z.enum(DISCLOSABLE_CLAIMS))
  .max(DISCLOSABLE_CLAIMS.length)
  .refine((claims) => new Set(claims).size === claims.length, 'list each claim once');

const fields = {
  kind: z.enum(BENEFIT_KINDS),
  title: z.string().trim().min(1, 'enter a title').max(200),
  description: z.string().trim().min(1).max(4000),
  terms: termsSchema,
  price: moneySchema,
  credential_ttl_seconds: z.number().int('use a whole number of seconds').min(1).max(MAX_CREDENTIAL_TTL_SECONDS),
  valid_from: timestampSchema,
  valid_until: timestampSchema,
  per_member_limit: limitField,
  total_limit: limitField,
  requires: requiresField,
  active: z.boolean(),
};

const createBody = z
  .object({
    affiliate_id: idSchema('aff'),
    kind: fields.kind,
    title: fields.title,
    description: fields.description.optional(),
    terms: fields.terms,
    price: fields.price,
    credential_ttl_seconds: fields.credential_ttl_seconds.default(DEFAULT_CREDENTIAL_TTL_SECONDS),
    valid_from: fields.valid_from.optional(),
    valid_until: fields.valid_until.optional(),
    per_member_limit: fields.per_member_limit.optional(),
    total_limit: fields.total_limit.optional(),
    requires: fields.requires.default([]),
    active: fields.active.default(true),
  })
  .strict();

// The affiliate of a benefit never changes: its credentials are bound to that affiliate (`aud`).
const updateBody = z
  .object({
    kind: fields.kind.optional(),
    title: fields.title.optional(),
    description: fields.description.nullable().optional(),
    terms: fields.terms.optional(),
    price: fields.price.optional(),
    credential_ttl_seconds: fields.credential_ttl_seconds.optional(),
    valid_from: fields.valid_from.nullable().optional(),
    valid_until: fields.valid_until.nullable().optional(),
    per_member_limit: fields.per_member_limit.nullable().optional(),
    total_limit: fields.total_limit.nullable().optional(),
    requires: fields.requires.optional(),
    active: fields.active.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'send at least one field to change');

/**
 * The admin API for benefits (PROTOCOL.md §8): `POST /v1/admin/benefits` and
 * `GET|PATCH /v1/admin/benefits/{id}` (`active: false` withdraws a benefit).
 * Admin sessions only: no token is 401, a member's is 403.
 */
export function adminBenefitRoutes(deps: AppDeps): Router {
  const router = Router();
  const admin = requireAccount(deps, ['admin']);

  router.post('/v1/admin/benefits', admin, async (req, res) => {
    const body = parseInput(createBody, req.body);
    const benefit = await createBenefitAudited(deps, auditActor(req, res), {
      affiliateId: body.affiliate_id,
      kind: body.kind,
      title: body.title,
      description: body.description ?? null,
      terms: body.terms,
      price: body.price,
      credentialTtlSeconds: body.credential_ttl_seconds,
      validFrom: body.valid_from ?? null,
      validUntil: body.valid_until ?? null,
      perMemberLimit: body.per_member_limit ?? null,
      totalLimit: body.total_limit ?? null,
      requires: body.requires,
      active: body.active,
    });
    res.status(201).location(`/v1/admin/benefits/${benefit.id}`).json(presentBenefit(benefit));
  });

  router.get('/v1/admin/benefits/:id', admin, async (req, res) => {
    const id = req.params.id as string;
    const benefit = await deps.store.benefits.findById(id);
    if (benefit === null) throw notFoundError('benefit', id);
    res.json(presentBenefit(benefit, { redeemedCount: await deps.store.benefits.countRedeemed(id) }));
  });

  router.patch('/v1/admin/benefits/:id', admin, async (req, res) => {
    const body = parseInput(updateBody, req.body);
    const benefit = await updateBenefitAudited(deps, auditActor(req, res), req.params.id as string, {
      kind: body.kind,
      title: body.title,
      description: body.description,
      terms: body.terms,
      price: body.price,
      credentialTtlSeconds: body.credential_ttl_seconds,
      validFrom: body.valid_from,
      validUntil: body.valid_until,
      perMemberLimit: body.per_member_limit,
      totalLimit: body.total_limit,
      requires: body.requires,
      active: body.active,
    });
    res.json(presentBenefit(benefit));
  });

  return router;
}
