import { rfc3339 } from '../../clock.js';
import type { CredentialRecord } from '../../store/admin-credential-store.js';

const time = (value: string | null) => (value === null ? null : rfc3339(value));

/** A credential in the admin API: states and times; never the token or the PIN hash. */
export function presentCredentialRecord(record: CredentialRecord, now: Date) {
  const expired = record.status === 'issued' && new Date(record.expiresAt) <= now;
  return {
    id: record.id,
    jti: record.jti,
    member: { id: record.memberId, email: record.memberEmail },
    benefit: { id: record.benefitId, title: record.benefitTitle },
    affiliate_id: record.affiliateId,
    status: expired ? 'expired' : record.status,
    pin_protected: record.pinProtected,
    holder_bound: record.holderBound,
    issued_at: rfc3339(record.issuedAt),
    expires_at: rfc3339(record.expiresAt),
    redeemed_at: time(record.redeemedAt),
    revoked_at: time(record.revokedAt),
  };
}
