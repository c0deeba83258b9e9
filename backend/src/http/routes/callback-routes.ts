import { createHash } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { rfc3339 } from '../../clock.js';
import { checkPresentation } from '../../domain/callbacks/check-presentation.js';
import { createNonce } from '../../domain/callbacks/create-nonce.js';
import { redeemCredential } from '../../domain/callbacks/redeem-credential.js';
import type { AppDeps } from '../app-deps.js';
import { affiliateOf, requireAffiliate } from '../auth.js';
import { presentRedemption } from '../presenters/present-redemption.js';
import { moneySchema } from '../schemas.js';
import { parseInput } from '../validate.js';

const presentationFields = {
  presentation: z
    .string()
    .min(1)
    .max(64 * 1024),
  nonce: z.string().min(1).max(200).optional(),
  origin: z.string().min(1).max(300).optional(),
};
const verificationBody = z.object(presentationFields).strict();
const redemptionBody = z
  .object({
    ...presentationFields,
    pin: z.string().min(1).max(64).optional(),
    order_ref: z.string().trim().min(1).max(200).optional(),
    order_total: moneySchema.optional(),
  })
  .strict();
const idempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'send an Idempotency-Key header of 1 to 255 visible ASCII characters');

/** `POST /v1/nonces`, `POST /v1/verifications` and `POST /v1/redemptions` (PROTOCOL.md §7). */
export function callbackRoutes(deps: AppDeps): Router {
  const router = Router();
  const affiliateOnly = requireAffiliate(deps);

  router.post('/v1/nonces', affiliateOnly, async (_req, res) => {
    const { nonce, expiresAt } = await createNonce(deps, affiliateOf(res).affiliateId);
    res.status(201).json({ nonce, expires_at: rfc3339(expiresAt) });
  });

  router.post('/v1/verifications', affiliateOnly, async (req, res) => {
    const body = parseInput(verificationBody, req.body);
    const { verified, credential } = await checkPresentation(deps, affiliateOf(res).affiliateId, {
      presentation: body.presentation,
      nonce: body.nonce ?? null,
      origin: body.origin ?? null,
    });
    res.json({
      credential_id: credential.id,
      benefit: credential.benefit,
      sub: verified.claims.sub,
      disclosed: verified.disclosed,
      pin_required: credential.pinHash !== null,
      expires_at: rfc3339(credential.expiresAt),
    });
  });

  router.post('/v1/redemptions', affiliateOnly, async (req, res) => {
    // The key is checked before anything else, so a retry is recognised even if its body is bad.
    const key = parseInput(idempotencyKey, req.get('idempotency-key') ?? '', 'Idempotency-Key header');
    const body = parseInput(redemptionBody, req.body);
    const answer = await redeemCredential(
      deps,
      affiliateOf(res).affiliateId,
      {
        presentation: body.presentation,
        nonce: body.nonce ?? null,
        origin: body.origin ?? null,
        pin: body.pin ?? null,
        orderRef: body.order_ref ?? null,
        orderTotal: body.order_total ?? null,
        idempotencyKey: key,
        requestHash: createHash('sha256').update(JSON.stringify(req.body)).digest('hex'),
      },
      presentRedemption,
    );
    res.status(answer.status).type('application/json').send(answer.body);
  });

  return router;
}
