import { ClubpassError, type VerifiedPresentation } from '@clubpass/shared';
import { Router } from 'express';
import { z } from 'zod';
import type { ShopContext } from '../context.js';
import { readCustomer } from '../customer-form.js';
import { createOrder, findPendingOrder } from '../orders.js';
import { memberPrice } from '../pricing.js';
import { redeemOrder } from '../redeem.js';
import { sessionOf } from '../sessions.js';
import { verifyOffline } from '../verify.js';
import { redeemPage } from '../views/redeem.js';
import { sendError } from './membership.js';

const linkBody = z.object({
  presentation: z
    .string()
    .min(1)
    .max(64 * 1024),
  pin: z.string().regex(/^[0-9]{4,12}$/),
});

/**
 * Link credentials (PROTOCOL.md §9), for members without the extension: our `redeem_url` is
 * GET /redeem, and its script posts the member's choices to POST /api/redeem-link.
 */
export function linkRoutes(ctx: ShopContext): Router {
  const router = Router();
  const { merchant } = ctx.settings;
  const { product } = merchant;

  router.get('/redeem', (_req, res) => {
    res.send(redeemPage(merchant));
  });

  router.post('/api/redeem-link', async (req, res) => {
    const body = linkBody.safeParse(req.body);
    if (!body.success) {
      const pinIssue = body.error.issues.some((issue) => issue.path[0] === 'pin');
      return pinIssue ? sendError(res, 400, 'pin_required') : sendError(res, 400, 'invalid_request');
    }
    const { customer, error } = readCustomer(merchant, req.body);
    if (customer === null) return res.status(422).json({ error: { code: 'invalid_request', message: error } });

    // A link credential has no holder key and so no KB-JWT: no origin or nonce to expect.
    // Everything else (our audience, the club's signature, expiry, the disclosures) is checked.
    let verified: VerifiedPresentation;
    try {
      verified = await verifyOffline(ctx, body.data.presentation, { origin: null, nonce: null });
    } catch (failure) {
      if (failure instanceof ClubpassError) return sendError(res, failure.status, failure.code);
      throw failure;
    }

    const session = sessionOf(res);
    const sessionId = await session.save();
    const order =
      (await findPendingOrder(ctx.db, sessionId, 'link')) ??
      (await createOrder(
        ctx.db,
        {
          via: 'link',
          sessionId,
          product: product.name,
          listPrice: product.price,
          total: memberPrice(product.price, verified.claims.benefit) ?? product.price,
          customer,
          benefitTitle: verified.claims.benefit.title,
        },
        ctx.clock.now(),
      ));
    // The PIN goes to the club, which alone can check it (and locks the credential after five misses).
    const result = await redeemOrder(ctx, order, { presentation: body.data.presentation, pin: body.data.pin });
    if (result.ok) return res.json({ redirect: `/orders/${order.id}` });
    res.status(result.status).json({ error: { code: result.code, message: result.message } });
  });

  return router;
}
