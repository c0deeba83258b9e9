import { ClubpassError, type Money, RECEIPT_TYP, signClubJwt } from '@clubpass/shared';
import { newId } from '../../ids.js';
import type { Redemption } from '../../store/redemption-store.js';
import { verifyPassword } from '../members/password-hash.js';
import { type CallbackDeps, checkPresentation, type PresentationInput } from './check-presentation.js';

/** Wrong PINs before a credential locks (PROTOCOL.md §5 rule 15). */
export const MAX_PIN_FAILURES = 5;

export interface RedemptionRequest extends PresentationInput {
  idempotencyKey: string;
  /** SHA-256 of the request body: the same key with another body is a mismatch. */
  requestHash: string;
  pin: string | null;
  orderRef: string | null;
  orderTotal: Money | null;
}

/** The HTTP answer as first given, stored so a retry with the same key gets it again. */
export interface StoredAnswer {
  status: number;
  body: string;
}

class IdempotentReplay extends Error {}

async function replay(
  deps: CallbackDeps,
  affiliateId: string,
  request: RedemptionRequest,
): Promise<StoredAnswer | null> {
  const stored = await deps.store.idempotency.find(affiliateId, request.idempotencyKey);
  if (stored === null) return null;
  if (stored.requestHash !== request.requestHash) {
    throw new ClubpassError(
      'idempotency_mismatch',
      'this Idempotency-Key was used with another request; use a new key',
    );
  }
  return { status: stored.responseStatus, body: stored.responseBody };
}

async function checkPin(
  deps: CallbackDeps,
  credentialId: string,
  pinHash: string | null,
  pin: string | null,
): Promise<void> {
  if (pinHash === null) return;
  if (pin === null)
    throw new ClubpassError('pin_required', 'this credential is protected by a PIN; ask the member for it');
  // The attempt is taken before the PIN is checked, so parallel guesses cannot get past the lock.
  const attempt = await deps.store.redemptions.reservePinAttempt(credentialId, MAX_PIN_FAILURES);
  if (attempt === null) {
    throw new ClubpassError(
      'credential_locked',
      'too many wrong PINs: this credential is locked; the member must contact the club',
    );
  }
  const right = await verifyPassword(pin, pinHash);
  await deps.store.redemptions.settlePinAttempt(credentialId, right, MAX_PIN_FAILURES);
  if (right) return;
  const left = Math.max(0, MAX_PIN_FAILURES - attempt);
  throw new ClubpassError(
    'pin_invalid',
    left > 0 ? `wrong PIN; ${left} attempts left` : 'wrong PIN; the credential is now locked',
  );
}

/**
 * `POST /v1/redemptions`: the idempotency key first, then every check, then ONE transaction that
 * marks the credential redeemed with a conditional write keyed on `jti`, uses up the nonce, writes
 * the redemption and its billing line at the benefit's price, and stores the answer. Exactly one
 * redemption per `jti` however many requests race, on one process or many sharing a database.
 *
 * @param render shapes the stored answer from the redemption (the route's presenter).
 */
export async function redeemCredential(
  deps: CallbackDeps,
  affiliateId: string,
  request: RedemptionRequest,
  render: (redemption: Redemption) => unknown,
): Promise<StoredAnswer> {
  const earlier = await replay(deps, affiliateId, request);
  if (earlier !== null) return earlier;

  let checked: Awaited<ReturnType<typeof checkPresentation>>;
  try {
    // Rule 15's PIN entry comes before rule 16 (already redeemed), as §5 orders them.
    checked = await checkPresentation(deps, affiliateId, request, (c) => checkPin(deps, c.id, c.pinHash, request.pin));
  } catch (error) {
    // A concurrent request with the same key may have won since the lookup above, using up the
    // nonce and the credential: answer as it did, not with nonce_invalid or already_redeemed.
    const concurrent = await replay(deps, affiliateId, request);
    if (concurrent !== null) return concurrent;
    throw error;
  }
  const { verified, credential } = checked;

  const now = deps.clock.now();
  const redemptionId = newId('red');
  const receipt = await signClubJwt(await deps.keyRing.current(), RECEIPT_TYP, {
    iss: deps.issuer,
    aud: affiliateId,
    jti: redemptionId,
    credential: credential.id,
    benefit: credential.benefit.id,
    amount: credential.price,
    iat: Math.floor(now.getTime() / 1000),
  });
  const redemption: Redemption = {
    id: redemptionId,
    credentialId: credential.id,
    jti: credential.jti,
    affiliateId,
    benefit: credential.benefit,
    price: credential.price,
    billingRef: credential.billingRef,
    orderRef: request.orderRef,
    orderTotal: request.orderTotal,
    disclosed: verified.disclosed,
    receipt,
    redeemedAt: now.toISOString(),
    voidedAt: null,
    voidReason: null,
    billingStatus: 'open',
    invoiceId: null,
  };
  const answer: StoredAnswer = { status: 201, body: JSON.stringify(render(redemption)) };
  const at = now.toISOString();
  try {
    await deps.store.transaction(async (tx) => {
      if (!(await tx.redemptions.markRedeemed(credential.jti, at))) {
        // Changed since the checks (a parallel request): say what it is now, e.g. locked by a wrong PIN.
        const current = await tx.redemptions.findCredentialByJti(credential.jti);
        if (current?.status === 'locked') {
          throw new ClubpassError('credential_locked', 'too many wrong PINs: this credential is locked');
        }
        if (current?.status === 'revoked')
          throw new ClubpassError('credential_revoked', 'the club has revoked this credential');
        throw new ClubpassError('already_redeemed', 'this credential has already been used');
      }
      if (request.nonce !== null && !(await tx.nonces.consume(request.nonce, affiliateId, at))) {
        throw new ClubpassError('nonce_invalid', 'the nonce was used or expired meanwhile; get a new one');
      }
      await tx.redemptions.insert({ ...redemption, billingLineId: newId('bil') }, at);
      const stored = await tx.idempotency.insert({
        affiliateId,
        key: request.idempotencyKey,
        requestHash: request.requestHash,
        responseStatus: answer.status,
        responseBody: answer.body,
        createdAt: at,
      });
      if (!stored) throw new IdempotentReplay();
    });
  } catch (error) {
    // A concurrent request with the same key may have won: answer as it did.
    if (error instanceof IdempotentReplay || (error instanceof ClubpassError && error.code === 'already_redeemed')) {
      const concurrent = await replay(deps, affiliateId, request);
      if (concurrent !== null) return concurrent;
    }
    if (error instanceof IdempotentReplay)
      throw new ClubpassError('conflict', 'a request with this key is in progress; retry');
    throw error;
  }
  return answer;
}
