import { RECEIPT_TYP, verifyClubJwt } from './club-jwt.js';
import { isObject } from './encoding.js';
import { ClubpassError } from './errors.js';
import type { Clock, Money, TrustedKeySet } from './types.js';

export interface VerifiedReceipt {
  /** The redemption id. */
  jti: string;
  credential: string;
  benefit: string;
  amount: Money;
  iat: number;
}

/**
 * Verifies a redemption receipt (PROTOCOL.md §7): a club statement of type `clubpass-receipt+jwt`
 * addressed to this affiliate (`aud`), naming the redemption, credential, benefit and amount.
 */
export async function verifyReceipt(
  token: unknown,
  options: { keys: TrustedKeySet; issuer: string; audience: string; clock: Clock },
): Promise<VerifiedReceipt> {
  const payload = await verifyClubJwt(token, {
    keys: options.keys,
    issuer: options.issuer,
    clock: options.clock,
    typ: RECEIPT_TYP,
  });
  if (payload.aud !== options.audience)
    throw new ClubpassError('wrong_audience', 'the receipt is for another affiliate');
  const { jti, credential, benefit, amount, iat } = payload;
  if (
    typeof jti !== 'string' ||
    typeof credential !== 'string' ||
    typeof benefit !== 'string' ||
    typeof iat !== 'number' ||
    !isObject(amount) ||
    !Number.isSafeInteger(amount.amount) ||
    typeof amount.currency !== 'string'
  ) {
    throw new ClubpassError('invalid_claims', 'the receipt is missing a claim');
  }
  return { jti, credential, benefit, amount: { amount: amount.amount as number, currency: amount.currency }, iat };
}
