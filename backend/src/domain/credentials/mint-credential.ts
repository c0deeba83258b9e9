import {
  type BenefitClaim,
  CREDENTIAL_TYPE,
  type CredentialClaims,
  issueCredential,
  type PublicJwk,
  randomBase64url,
  type SigningKey,
} from '@clubpass/shared';
import { newId } from '../../ids.js';
import type { Account } from '../../store/account-store.js';
import type { IssuableBenefit, StoredCredential } from '../../store/credential-store.js';
import { newBillingRef } from './billing-ref.js';
import type { CredentialLifetime } from './credential-lifetime.js';
import { pairwiseSubject } from './pairwise-subject.js';
import { personalDetails } from './personal-details.js';

export interface MintCredentialInput {
  signer: SigningKey;
  issuer: string;
  subjectKey: Uint8Array;
  member: Account;
  benefit: IssuableBenefit;
  /** The moment of issue; `lifetime.iat` is the same instant in whole seconds. */
  now: Date;
  lifetime: CredentialLifetime;
  /** The holder's public key with its thumbprint, or null for a link credential (PROTOCOL.md §9). */
  holder: { key: PublicJwk; thumbprint: string } | null;
  /** The slow hash of the member's PIN, or null when none was set. */
  pinHash: string | null;
}

/** The `benefit` claim of a credential (PROTOCOL.md §3). */
export function benefitClaim(benefit: IssuableBenefit): BenefitClaim {
  return { id: benefit.id, kind: benefit.kind, title: benefit.title, terms: benefit.terms };
}

/**
 * Signs a new credential and returns the record to store for it. Nothing is written here: the
 * caller records it inside the transaction that enforces the benefit's limits, and throws it
 * away unseen when a limit says no.
 */
export async function mintCredential(input: MintCredentialInput): Promise<StoredCredential> {
  const { benefit, lifetime, holder, member } = input;
  const jti = randomBase64url(16);
  const billingRef = newBillingRef();
  const sub = pairwiseSubject(input.subjectKey, member.id, benefit.affiliateId);
  const claims: CredentialClaims = {
    iss: input.issuer,
    aud: benefit.affiliateId,
    sub,
    jti,
    iat: lifetime.iat,
    exp: lifetime.exp,
    vct: CREDENTIAL_TYPE,
    benefit: benefitClaim(benefit),
    billing_ref: billingRef,
    ...(holder === null ? {} : { cnf: { jwk: holder.key.jwk } }),
    // A link credential always has a PIN (§9), so `pin: true` also holds for every one of them.
    ...(input.pinHash === null ? {} : { pin: true as const }),
  };
  const credential = await issueCredential({ signer: input.signer, claims, disclosable: personalDetails(member) });
  return {
    id: newId('crd'),
    jti,
    memberId: member.id,
    benefitId: benefit.id,
    affiliateId: benefit.affiliateId,
    holderThumbprint: holder?.thumbprint ?? null,
    kid: input.signer.kid,
    sub,
    billingRef,
    credential,
    pinHash: input.pinHash,
    status: 'issued',
    issuedAt: input.now.toISOString(),
    expiresAt: new Date(lifetime.exp * 1000).toISOString(),
    redeemedAt: null,
    revokedAt: null,
  };
}
