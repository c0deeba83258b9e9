import { ClubProblem, ClubUnreachable } from './club.js';
import type { ShopContext } from './context.js';
import { describeFailure } from './messages.js';
import { completeOrder, failOrder, type Order } from './orders.js';
import { verifyReceipt } from './verify.js';

export type RedeemResult =
  | { ok: true }
  | { ok: false; status: number; code: string; message: string; retryable: boolean };

/**
 * Redeems the member's benefit for a pending order (PROTOCOL.md §7 `POST /v1/redemptions`).
 *
 * Only the club's 201 grants the benefit. The request carries the order's own Idempotency-Key:
 * if the answer is lost (timeout, crash), placing the order again sends the same key and the
 * club replays its first answer instead of redeeming twice. A refusal (a problem with a code)
 * means nothing was stored under the key, so the order fails and the next attempt starts afresh.
 */
export async function redeemOrder(
  ctx: ShopContext,
  order: Order,
  presentation: { presentation: string; nonce?: string; origin?: string; pin?: string },
): Promise<RedeemResult> {
  try {
    const redemption = await ctx.club.redeem(
      {
        ...presentation,
        // The club keeps these on its ledger, so a disputed line can be traced to our order.
        order_ref: order.id,
        order_total: { amount: order.total, currency: order.currency },
      },
      order.idempotency_key as string,
    );
    const receipt = await verifyReceipt(ctx, redemption);
    await completeOrder(ctx.db, order.id, redemption, receipt, ctx.clock.now());
    return { ok: true };
  } catch (error) {
    if (error instanceof ClubProblem && !error.retryable) {
      await failOrder(ctx.db, order.id, error.code);
      const message = describeFailure(error.code, error.detail);
      return { ok: false, status: error.status, code: error.code, message, retryable: false };
    }
    if (error instanceof ClubProblem || error instanceof ClubUnreachable) {
      console.warn(`redemption for ${order.id} not confirmed, the order stays pending: ${error.message}`);
      return { ok: false, status: 502, code: 'unreachable', message: describeFailure('unreachable'), retryable: true };
    }
    throw error;
  }
}
