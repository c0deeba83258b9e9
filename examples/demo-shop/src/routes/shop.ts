import { type Response, Router } from 'express';
import type { ShopContext } from '../context.js';
import { fieldsFromDisclosed, readCustomer } from '../customer-form.js';
import { describeFailure } from '../messages.js';
import { createOrder, failOrder, findOrder, findPendingOrder, updateCustomer } from '../orders.js';
import { memberPrice } from '../pricing.js';
import { redeemOrder } from '../redeem.js';
import { type Membership, type Session, sessionOf } from '../sessions.js';
import { type CustomerFields, checkoutPage } from '../views/checkout.js';
import { messagePage } from '../views/layout.js';
import { orderPage } from '../views/order.js';
import { productPage } from '../views/product.js';

/**
 * The membership this browser showed, if it can still be redeemed. Past `usableUntil` the nonce
 * or the KB-JWT has expired at the club, so we drop it and the member shows it again.
 */
async function activeMembership(ctx: ShopContext, session: Session): Promise<Membership | null> {
  const membership = session.data.membership;
  if (!membership) return null;
  if (new Date(membership.usableUntil) > ctx.clock.now()) return membership;
  session.data.membership = undefined;
  await session.save();
  return null;
}

/** The product page, checkout, and the order confirmation. */
export function shopRoutes(ctx: ShopContext): Router {
  const router = Router();
  const { merchant, publicOrigin } = ctx.settings;
  const { product } = merchant;

  const totalFor = (membership: Membership | null) =>
    (membership && memberPrice(product.price, membership.benefit)) ?? product.price;

  function renderCheckout(
    res: Response,
    status: number,
    membership: Membership | null,
    values: CustomerFields,
    error: string | null,
  ) {
    res.status(status).send(
      checkoutPage({
        merchant,
        values,
        member: membership && { benefitTitle: membership.benefit.title, pinRequired: membership.pinRequired },
        total: totalFor(membership),
        error,
      }),
    );
  }

  router.get('/', async (_req, res) => {
    const membership = await activeMembership(ctx, sessionOf(res));
    res.send(
      productPage({
        merchant,
        snippet: { clubUrl: ctx.settings.clubUrl, affiliateId: ctx.settings.affiliateId },
        member: membership && {
          givenName: membership.disclosed.given_name ?? null,
          benefitTitle: membership.benefit.title,
          price: memberPrice(product.price, membership.benefit),
          usableUntil: membership.usableUntil,
        },
      }),
    );
  });

  router.get('/checkout', async (_req, res) => {
    const membership = await activeMembership(ctx, sessionOf(res));
    renderCheckout(res, 200, membership, membership ? fieldsFromDisclosed(membership.disclosed) : {}, null);
  });

  router.post('/checkout', async (req, res) => {
    const session = sessionOf(res);
    const shown = session.data.membership !== undefined;
    const membership = await activeMembership(ctx, session);
    const { values, customer, error } = readCustomer(merchant, req.body);
    // Never quietly charge the full price to a member whose membership check ran out meanwhile.
    if (shown && membership === null) {
      return renderCheckout(res, 409, null, values, describeFailure('key_binding_expired'));
    }
    if (customer === null) return renderCheckout(res, 422, membership, values, error);
    const base = { product: product.name, listPrice: product.price, total: totalFor(membership), customer };

    if (membership === null) {
      // No membership: an ordinary sale, nothing to ask the club.
      const order = await createOrder(
        ctx.db,
        { ...base, via: 'none', sessionId: null, benefitTitle: null },
        ctx.clock.now(),
      );
      return res.redirect(303, `/orders/${order.id}`);
    }

    const sessionId = await session.save();
    let order = await findPendingOrder(ctx.db, sessionId, 'extension');
    if (order && order.credential_id !== membership.credentialId) {
      // The member showed another credential since: that earlier attempt is abandoned.
      await failOrder(ctx.db, order.id, 'abandoned');
      order = undefined;
    }
    if (order) await updateCustomer(ctx.db, order.id, customer);
    else {
      order = await createOrder(
        ctx.db,
        {
          ...base,
          via: 'extension',
          sessionId,
          benefitTitle: membership.benefit.title,
          credentialId: membership.credentialId,
        },
        ctx.clock.now(),
      );
    }

    const pin = typeof req.body?.pin === 'string' && req.body.pin !== '' ? req.body.pin : undefined;
    const result = await redeemOrder(ctx, order, {
      presentation: membership.presentation,
      nonce: membership.nonce,
      origin: publicOrigin,
      ...(pin === undefined ? {} : { pin }),
    });
    if (result.ok) {
      session.data.membership = undefined;
      await session.save();
      return res.redirect(303, `/orders/${order.id}`);
    }
    // A wrong PIN can be typed again, and a lost answer retried; anything else needs a fresh showing.
    if (!result.retryable && result.code !== 'pin_invalid' && result.code !== 'pin_required') {
      session.data.membership = undefined;
      await session.save();
    }
    const still = session.data.membership ?? null;
    renderCheckout(res, result.status, still, values, result.message);
  });

  router.get('/orders/:id', async (req, res) => {
    const order = await findOrder(ctx.db, req.params.id);
    if (order?.status !== 'completed') {
      return res.status(404).send(messagePage(merchant, 'Order not found', 'We could not find that order.'));
    }
    res.send(orderPage(merchant, order));
  });

  return router;
}
