import { ClubpassError, KEY_BINDING_MAX_AGE_SECONDS, type VerifiedPresentation } from '@clubpass/shared';
import { type Response, Router } from 'express';
import { z } from 'zod';
import { ClubProblem, ClubUnreachable } from '../club.js';
import type { ShopContext } from '../context.js';
import { describeFailure } from '../messages.js';
import { sessionOf } from '../sessions.js';
import { verifyOffline } from '../verify.js';

/** A JSON error for the page script: a code for code, a sentence for the member. */
export function sendError(res: Response, status: number, code: string, detail?: string): void {
  res.status(status).json({ error: { code, message: describeFailure(code, detail) } });
}

/** Maps a failure while talking to the club to a JSON error; anything else is a bug and is rethrown. */
export function sendClubError(res: Response, error: unknown): void {
  if (error instanceof ClubProblem && !error.retryable) {
    sendError(res, error.status, error.code, error.detail);
  } else if (error instanceof ClubProblem || error instanceof ClubUnreachable) {
    console.warn(`club call failed: ${error.message}`);
    sendError(res, 502, 'unreachable');
  } else {
    throw error;
  }
}

const verifyBody = z.object({
  presentation: z
    .string()
    .min(1)
    .max(64 * 1024),
  nonce: z.string().min(1).max(200),
});

/**
 * The two calls the product page's script makes (public/product.js):
 *   POST /api/nonce   a fresh nonce from the club, remembered for this browser
 *   POST /api/verify  the member's presentation: verified offline, confirmed by the club, kept here
 */
export function membershipRoutes(ctx: ShopContext): Router {
  const router = Router();
  const { publicOrigin } = ctx.settings;

  router.post('/api/nonce', async (_req, res) => {
    let issued: { nonce: string; expires_at: string };
    try {
      // Our API key goes to the club from here; the browser only ever sees the nonce.
      issued = await ctx.club.createNonce();
    } catch (error) {
      return sendClubError(res, error);
    }
    const session = sessionOf(res);
    session.data.nonce = { value: issued.nonce, expiresAt: new Date(issued.expires_at).toISOString() };
    await session.save();
    res.json({ nonce: issued.nonce });
  });

  router.post('/api/verify', async (req, res) => {
    const body = verifyBody.safeParse(req.body);
    if (!body.success) return sendError(res, 400, 'invalid_request');
    const session = sessionOf(res);
    const issued = session.data.nonce;
    const now = ctx.clock.now();
    // The nonce we expect is the one we handed this browser, never whatever the request says.
    if (!issued || issued.value !== body.data.nonce || new Date(issued.expiresAt) <= now) {
      return sendError(res, 401, 'nonce_invalid');
    }
    const { presentation } = body.data;

    let verified: VerifiedPresentation;
    try {
      verified = await verifyOffline(ctx, presentation, { origin: publicOrigin, nonce: issued.value });
    } catch (error) {
      if (error instanceof ClubpassError) return sendError(res, error.status, error.code);
      throw error;
    }

    // Offline checks cannot know whether the club revoked the credential or it was already used.
    let confirmed: Awaited<ReturnType<typeof ctx.club.verify>>;
    try {
      confirmed = await ctx.club.verify({ presentation, nonce: issued.value, origin: publicOrigin });
    } catch (error) {
      return sendClubError(res, error);
    }

    const keyBindingExpiry = (verified.keyBinding?.iat ?? 0) + KEY_BINDING_MAX_AGE_SECONDS;
    const usableUntil = Math.min(new Date(issued.expiresAt).getTime(), keyBindingExpiry * 1000);
    session.data.nonce = undefined;
    session.data.membership = {
      presentation,
      nonce: issued.value,
      credentialId: confirmed.credential_id,
      benefit: verified.claims.benefit,
      disclosed: verified.disclosed,
      pinRequired: confirmed.pin_required,
      usableUntil: new Date(usableUntil).toISOString(),
    };
    await session.save();
    res.json({ ok: true, benefit: verified.claims.benefit.title });
  });

  router.post('/membership/forget', async (_req, res) => {
    const session = sessionOf(res);
    if (session.data.membership) {
      session.data.membership = undefined;
      await session.save();
    }
    res.redirect(303, '/');
  });

  return router;
}
