import {
  ClubpassError,
  RECEIPT_TYP,
  type TrustedKeySet,
  type VerifiedPresentation,
  verifyClubJwt,
  verifyPresentation,
} from '@clubpass/shared';
import type { Redemption } from './club.js';
import type { ShopContext } from './context.js';

/** Runs a check with the club's cached keys; if it names a key we do not know, refreshes them once. */
async function withClubKeys<T>(
  ctx: ShopContext,
  check: (trust: { issuer: string; keys: TrustedKeySet }) => Promise<T>,
): Promise<T> {
  try {
    return await check(await ctx.club.trust());
  } catch (error) {
    // The club may have rotated its signing key since we cached the set.
    if (error instanceof ClubpassError && error.code === 'unknown_key')
      return check(await ctx.club.trust({ refresh: true }));
    throw error;
  }
}

/**
 * Checks a presentation by every offline rule of PROTOCOL.md §5 before anything else happens:
 * a presentation made for another shop, another origin or another nonce is refused here,
 * without a round trip to the club. `origin` and `nonce` are what WE expect (our configured
 * origin, the nonce we gave this browser), never values taken from the request.
 *
 * @throws ClubpassError with the protocol's code.
 */
export function verifyOffline(
  ctx: ShopContext,
  presentation: unknown,
  expected: { origin: string | null; nonce: string | null },
): Promise<VerifiedPresentation> {
  return withClubKeys(ctx, (trust) =>
    verifyPresentation(presentation, {
      keys: trust.keys,
      issuer: trust.issuer,
      audience: ctx.settings.affiliateId,
      origin: expected.origin,
      nonce: expected.nonce,
      clock: ctx.clock,
    }),
  );
}

/**
 * Verifies the club's receipt for a redemption (PROTOCOL.md §7): signed by the club, of the
 * receipt type, issued to us, for this very redemption. Returns its claims, or null when it does
 * not verify; the redemption happened all the same (the club answered 201), so the order stands.
 */
export async function verifyReceipt(ctx: ShopContext, redemption: Redemption): Promise<Record<string, unknown> | null> {
  try {
    const claims = await withClubKeys(ctx, (trust) =>
      verifyClubJwt(redemption.receipt, { keys: trust.keys, typ: RECEIPT_TYP, issuer: trust.issuer, clock: ctx.clock }),
    );
    if (claims.aud !== ctx.settings.affiliateId || claims.jti !== redemption.id) {
      throw new Error('the receipt is for another affiliate or redemption');
    }
    return claims;
  } catch (error) {
    console.warn(`receipt of ${redemption.id} did not verify: ${error instanceof Error ? error.message : error}`);
    return null;
  }
}
