import {
  type BenefitClaim,
  type Clock,
  ClubpassError,
  decodeCredential,
  jwkThumbprint,
  type PublicJwk,
  parsePublicJwk,
} from '@clubpass/shared';
import type { PasswordParams } from '../../http/app-deps.js';
import type { KeyRing } from '../../keys/key-ring.js';
import type { ReusableQuery, StoredCredential } from '../../store/credential-store.js';
import type { Store } from '../../store/store.js';
import { hashPassword } from '../members/password-hash.js';
import { benefitUnavailable, credentialLifetime } from './credential-lifetime.js';
import { credentialLink } from './credential-link.js';
import { mintCredential } from './mint-credential.js';

export interface IssueCredentialDeps {
  store: Store;
  clock: Clock;
  keyRing: KeyRing;
  issuer: string;
  password: PasswordParams;
  subjectKey: Uint8Array;
}

export interface IssueCredentialRequest {
  memberId: string;
  benefitId: string;
  /** The holder's public JWK as sent (untrusted); undefined asks for a link credential (PROTOCOL.md §9). */
  holderJwk: unknown;
  /** 4..12 digits, already checked at the edge; null when the member set none. */
  pin: string | null;
}

export interface IssuedMemberCredential {
  credential: StoredCredential;
  benefit: BenefitClaim;
  /** For a link credential, where it takes the member (null when the affiliate has no `redeem_url`). */
  link: string | null;
  /** True when an earlier credential answered the request (200) instead of a new one (201). */
  replayed: boolean;
}

function parseHolderKey(value: unknown): PublicJwk {
  try {
    return parsePublicJwk(value, 'invalid_request');
  } catch (error) {
    const message = error instanceof Error ? error.message : 'not a valid key';
    throw new ClubpassError('invalid_request', `holder_jwk: ${message}`, {
      errors: [{ path: 'holder_jwk', message: `${message}; send a public OKP Ed25519 or EC P-256 key` }],
    });
  }
}

/**
 * Issues a credential for a benefit to a member (PROTOCOL.md §6 `POST /v1/credentials`).
 *
 * Limits hold under any concurrency, across instances sharing a database: the checks and the
 * write happen in one transaction that first serializes issuance for the member (per-member
 * limit), then reserves one unit of the benefit with a conditional UPDATE (total limit).
 * Slow work (PIN hashing, signing) happens before the transaction, so it holds no lock for long.
 *
 * Idempotent for holder-bound credentials: when the member holds a live (issued, unexpired)
 * credential for this benefit and holder key, made with a PIN if and only if this request sets
 * one, that credential is returned instead of minting another, even by requests racing each other.
 * Its PIN stays the one chosen first. Link credentials are minted afresh every time.
 *
 * @throws ClubpassError `invalid_request` (bad key, link credential without PIN), `not_found`
 *   (unknown or unavailable benefit), `limit_reached`, `unauthorized` (account gone).
 */
export async function issueMemberCredential(
  deps: IssueCredentialDeps,
  request: IssueCredentialRequest,
): Promise<IssuedMemberCredential> {
  const { store, clock } = deps;
  const key = request.holderJwk === undefined ? null : parseHolderKey(request.holderJwk);
  if (key === null && request.pin === null) {
    throw new ClubpassError('invalid_request', 'a link credential (no holder_jwk) needs a PIN', {
      errors: [{ path: 'pin', message: 'choose a PIN of 4 to 12 digits, or send holder_jwk' }],
    });
  }
  const now = clock.now();
  const benefit = await store.credentials.findIssuableBenefit(request.benefitId);
  if (benefit === null) throw benefitUnavailable();
  const lifetime = credentialLifetime(benefit, now);
  const member = await store.accounts.findById(request.memberId);
  if (member === null) throw new ClubpassError('unauthorized', 'the account no longer exists');
  const holder = key === null ? null : { key, thumbprint: await jwkThumbprint(key.jwk) };

  // Only holder-bound credentials are ever handed out again. A link credential is a bearer token
  // guarded by its PIN alone: replaying it to a matching PIN would let whoever holds the session
  // guess PINs without the five-try lock of §7. And the PIN value is never compared for a replay,
  // so no response depends on it.
  const query: ReusableQuery | null =
    holder === null
      ? null
      : {
          memberId: member.id,
          benefitId: benefit.id,
          holderThumbprint: holder.thumbprint,
          pinned: request.pin !== null,
          now: now.toISOString(),
        };
  const answer = (credential: StoredCredential, replayed: boolean): IssuedMemberCredential => ({
    credential,
    // What the credential itself says, not today's benefit row, which an admin may have edited.
    benefit: decodeCredential(credential.credential).payload.benefit as BenefitClaim,
    link: credential.holderThumbprint === null ? credentialLink(benefit.redeemUrl, credential.credential) : null,
    replayed,
  });

  // A cheap look first, so a retry costs no PIN hash and no signature.
  const earlier = query === null ? null : await store.credentials.findLatestReusable(query);
  if (earlier !== null) return answer(earlier, true);
  const minted = await mintCredential({
    signer: await deps.keyRing.current(),
    issuer: deps.issuer,
    subjectKey: deps.subjectKey,
    member,
    benefit,
    now,
    lifetime,
    holder,
    pinHash: request.pin === null ? null : await hashPassword(request.pin, deps.password),
  });
  return store.transaction(async (tx) => {
    await tx.credentials.lockMemberForIssuance(member.id);
    // Under the lock, a parallel twin of this request that got here first is seen: answer with its credential.
    const twin = query === null ? null : await tx.credentials.findLatestReusable(query);
    if (twin !== null) return answer(twin, true);
    // Read again under the lock: an admin may have withdrawn the benefit or changed its limits.
    const current = await tx.credentials.findIssuableBenefit(benefit.id);
    if (current === null) throw benefitUnavailable();
    credentialLifetime(current, now);
    const perMember = current.perMemberLimit;
    if (perMember !== null && (await tx.credentials.countIssuedToMember(member.id, benefit.id)) >= perMember) {
      throw new ClubpassError('limit_reached', 'you already have as many credentials for this benefit as allowed');
    }
    const claim = await tx.credentials.claimIssuance(benefit.id);
    if (claim === 'unavailable') throw benefitUnavailable();
    if (claim === 'limit_reached') throw new ClubpassError('limit_reached', 'this benefit has run out');
    await tx.credentials.insert(minted);
    return answer(minted, false);
  });
}
