import { createHmac } from 'node:crypto';

/**
 * The pairwise pseudonym of a member at an affiliate: the `sub` of every credential (PROTOCOL.md §3).
 *
 * HMAC-SHA-256 under the club's subject key, so it is stable for one member at one affiliate
 * (an affiliate can recognise a returning member), while two affiliates comparing notes see
 * unrelated values and nobody without the key can map a `sub` back to a member id.
 *
 * @param subjectKey the club's secret (AppDeps.subjectKey), at least 32 bytes.
 * @returns 43 base64url characters.
 */
export function pairwiseSubject(subjectKey: Uint8Array, memberId: string, affiliateId: string): string {
  if (subjectKey.length < 32) throw new Error('the subject key must be at least 32 bytes');
  // Ids are `<prefix>_<base64url>` and never contain a newline, so the joined input is unambiguous.
  return createHmac('sha256', subjectKey).update(`${memberId}\n${affiliateId}`, 'utf8').digest('base64url');
}
