import { type Clock, ClubpassError, type VerifiedPresentation, verifyPresentation } from '@clubpass/shared';
import type { KeyRing } from '../../keys/key-ring.js';
import type { RedeemableCredential } from '../../store/redemption-store.js';
import type { Store } from '../../store/store.js';

export interface PresentationInput {
  presentation: unknown;
  /** Null for a link credential, which carries no KB-JWT (PROTOCOL.md §9). */
  nonce: string | null;
  origin: string | null;
}

export interface CheckedPresentation {
  verified: VerifiedPresentation;
  credential: RedeemableCredential;
}

export interface CallbackDeps {
  store: Store;
  clock: Clock;
  keyRing: KeyRing;
  issuer: string;
}

/**
 * Every check of PROTOCOL.md §5 that changes nothing, in order: rules 1-12 through the shared
 * verifier (with the origin only if it is one of the affiliate's own), 13 the nonce, 14 revocation,
 * the PIN lock of 15, the redemption's PIN entry (`checkPin`) and 16 already redeemed.
 */
export async function checkPresentation(
  deps: CallbackDeps,
  affiliateId: string,
  input: PresentationInput,
  /** The PIN entry of rule 15, for redemptions: run after the lock check, before rule 16. */
  checkPin?: (credential: RedeemableCredential) => Promise<void>,
): Promise<CheckedPresentation> {
  const affiliate = await deps.store.affiliates.findById(affiliateId);
  if (affiliate === null) throw new ClubpassError('unauthorized', 'the affiliate no longer exists');
  // An origin the affiliate has not registered can never match: the KB-JWT check then fails
  // with origin_mismatch at its place in the order.
  const origin = input.origin !== null && affiliate.origins.includes(input.origin) ? input.origin : null;
  const verified = await verifyPresentation(input.presentation, {
    keys: await deps.keyRing.trusted(),
    issuer: deps.issuer,
    audience: affiliateId,
    origin,
    nonce: input.nonce,
    clock: deps.clock,
  });
  const now = deps.clock.now().toISOString();
  if (verified.cnf !== null || input.nonce !== null) {
    const nonce = input.nonce === null ? null : await deps.store.nonces.findUsable(input.nonce, affiliateId, now);
    if (nonce === null)
      throw new ClubpassError('nonce_invalid', 'the nonce is unknown, expired, used or not yours; get a new one');
  }
  const credential = await deps.store.redemptions.findCredentialByJti(verified.jti);
  // A credential signed by the club but not in its ledger cannot be honoured.
  if (credential === null || credential.status === 'revoked') {
    throw new ClubpassError('credential_revoked', 'the club has revoked this credential');
  }
  if (credential.status === 'locked') {
    throw new ClubpassError(
      'credential_locked',
      'too many wrong PINs: this credential is locked; the member must contact the club',
    );
  }
  if (checkPin !== undefined) await checkPin(credential);
  if (credential.status === 'redeemed')
    throw new ClubpassError('already_redeemed', 'this credential has already been used');
  return { verified, credential };
}
