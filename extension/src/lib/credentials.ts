/**
 * Credentials as the extension keeps and shows them. Pure: no storage, no browser globals.
 */
import { type DecodedDisclosure, decodeCredential } from '@clubpass/shared';

export type CredentialStatus = 'issued' | 'redeemed' | 'expired' | 'revoked';
const STATUSES: readonly CredentialStatus[] = ['issued', 'redeemed', 'expired', 'revoked'];

export interface BenefitSummary {
  id: string;
  kind: string;
  title: string;
  terms: Record<string, unknown>;
}

export interface AffiliateSummary {
  id: string;
  name: string;
}

/** A credential held in this browser (in the extension's IndexedDB, background only). */
export interface StoredCredential {
  /** The club's credential id (`crd_…`). */
  id: string;
  /** The SD-JWT string: never leaves the background except inside a presentation. */
  credential: string;
  /** The club account it was issued to. */
  memberId: string;
  issuer: string;
  /** The affiliate id it is valid at (`aud`). */
  aud: string;
  jti: string;
  /** Seconds since the epoch, from the token. */
  exp: number;
  nbf: number | null;
  holderBound: boolean;
  benefit: BenefitSummary;
  affiliate: AffiliateSummary;
  /** The details the affiliate said it needs (the catalog's `requires`), when known. */
  requires: string[];
  /** Last status the club reported (GET /v1/credentials); `issued` until then. */
  status: CredentialStatus;
  redeemedAt: string | null;
  receipt: string | null;
  obtainedAt: string;
}

/** What the member API's `GET /v1/credentials` lists for each credential. */
export interface ServerCredential {
  id: string;
  benefit: BenefitSummary;
  affiliate: AffiliateSummary;
  status: CredentialStatus;
  expires_at: string;
  redeemed_at: string | null;
  receipt?: string | null;
}

/** One line of "My credentials": the club's view merged with what this browser holds. */
export interface CredentialView {
  id: string;
  benefit: BenefitSummary;
  affiliate: AffiliateSummary;
  status: CredentialStatus;
  expiresAt: string;
  redeemedAt: string | null;
  receipt: string | null;
  /** True when this browser holds the credential (and so can present it). */
  stored: boolean;
  usable: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Builds the record to store from the club's `POST /v1/credentials` answer, reading `aud`, `exp`
 * and the rest from the token itself. Throws when the token is not a holder-bound credential from
 * `issuer`: a response that does not match what was asked for is not kept.
 */
export function toStoredCredential(input: {
  response: unknown;
  memberId: string;
  issuer: string;
  affiliateName: string | null;
  requires: readonly string[];
  now: Date;
}): StoredCredential {
  const { response } = input;
  if (!isRecord(response) || typeof response.id !== 'string' || typeof response.credential !== 'string') {
    throw new Error('the club answered without a credential');
  }
  const payload = decodeCredential(response.credential).payload;
  const { aud, jti, exp, nbf, iss, benefit, cnf } = payload;
  if (iss !== input.issuer) throw new Error('the credential is not from this club');
  if (typeof aud !== 'string' || typeof jti !== 'string' || typeof exp !== 'number') {
    throw new Error('the credential is missing its audience, id or expiry');
  }
  if (!isRecord(cnf)) throw new Error('the credential is not bound to this browser');
  const claimed = isRecord(benefit) ? benefit : {};
  const fromResponse = isRecord(response.benefit) ? response.benefit : {};
  const merged = { ...claimed, ...fromResponse };
  return {
    id: response.id,
    credential: response.credential,
    memberId: input.memberId,
    issuer: iss,
    aud,
    jti,
    exp,
    nbf: typeof nbf === 'number' ? nbf : null,
    holderBound: true,
    benefit: {
      id: typeof merged.id === 'string' ? merged.id : '',
      kind: typeof merged.kind === 'string' ? merged.kind : '',
      title: typeof merged.title === 'string' ? merged.title : 'Benefit',
      terms: isRecord(merged.terms) ? merged.terms : {},
    },
    affiliate: { id: aud, name: input.affiliateName ?? aud },
    requires: [...input.requires],
    status: 'issued',
    redeemedAt: null,
    receipt: null,
    obtainedAt: input.now.toISOString(),
  };
}

/** Clock skew allowed on `nbf`, as verifiers allow it (PROTOCOL.md §5 rule 8). */
const SKEW_SECONDS = 60;

/**
 * Usable means it can be presented now: the club has not reported it redeemed, revoked or expired,
 * its `exp` is still ahead, its `nbf` (if any) has come, and it is bound to the holder key.
 */
export function isUsable(credential: StoredCredential, now: Date): boolean {
  const seconds = now.getTime() / 1000;
  if (credential.status !== 'issued') return false;
  if (!credential.holderBound) return false;
  if (credential.exp <= seconds) return false;
  if (credential.nbf !== null && credential.nbf > seconds + SKEW_SECONDS) return false;
  return true;
}

/**
 * The credentials that may be offered to a partner: usable, from this club, and whose `aud` is one
 * of the affiliates listing the page's origin. Nothing else is ever shown in the consent window.
 */
export function credentialsForAffiliates(
  credentials: readonly StoredCredential[],
  affiliateIds: readonly string[],
  issuer: string,
  now: Date,
): StoredCredential[] {
  const wanted = new Set(affiliateIds);
  return credentials
    .filter((c) => c.issuer === issuer && wanted.has(c.aud) && isUsable(c, now))
    .sort((a, b) => a.exp - b.exp);
}

/** The number shown on the toolbar badge on a partner page. */
export function badgeText(count: number | null): string {
  if (count === null) return '';
  return count > 99 ? '99+' : String(count);
}

function isServerCredential(value: unknown): value is ServerCredential {
  if (!isRecord(value)) return false;
  return (
    typeof value.id === 'string' &&
    isRecord(value.benefit) &&
    isRecord(value.affiliate) &&
    typeof value.status === 'string' &&
    (STATUSES as readonly string[]).includes(value.status) &&
    typeof value.expires_at === 'string'
  );
}

/** Reads the `data` list of `GET /v1/credentials`, skipping entries of an unexpected shape. */
export function parseServerCredentials(value: unknown): ServerCredential[] {
  if (!isRecord(value) || !Array.isArray(value.data)) return [];
  return value.data.filter(isServerCredential);
}

/**
 * Applies what the club reports to the stored records: status, redemption time and receipt.
 * Returns only the records that changed (to write back).
 */
export function applyServerStatus(
  stored: readonly StoredCredential[],
  server: readonly ServerCredential[],
): StoredCredential[] {
  const byId = new Map(server.map((s) => [s.id, s]));
  const changed: StoredCredential[] = [];
  for (const record of stored) {
    const remote = byId.get(record.id);
    if (!remote) continue;
    const redeemedAt = remote.redeemed_at ?? null;
    const receipt = typeof remote.receipt === 'string' ? remote.receipt : record.receipt;
    if (record.status !== remote.status || record.redeemedAt !== redeemedAt || record.receipt !== receipt) {
      changed.push({ ...record, status: remote.status, redeemedAt, receipt });
    }
  }
  return changed;
}

function statusAt(status: CredentialStatus, expiresAtMs: number, now: Date): CredentialStatus {
  return status === 'issued' && expiresAtMs <= now.getTime() ? 'expired' : status;
}

/**
 * "My credentials": every credential the club lists, plus any held here that the club's list
 * did not include (e.g. a later page), newest expiry last. Status `issued` past its expiry shows as `expired`.
 */
export function mergeCredentialViews(
  server: readonly ServerCredential[] | null,
  stored: readonly StoredCredential[],
  now: Date,
): CredentialView[] {
  const local = new Map(stored.map((c) => [c.id, c]));
  const views: CredentialView[] = [];
  const seen = new Set<string>();
  for (const remote of server ?? []) {
    seen.add(remote.id);
    const held = local.get(remote.id);
    const status = statusAt(remote.status, Date.parse(remote.expires_at), now);
    views.push({
      id: remote.id,
      benefit: remote.benefit,
      affiliate: held && remote.affiliate.name === '' ? held.affiliate : remote.affiliate,
      status,
      expiresAt: remote.expires_at,
      redeemedAt: remote.redeemed_at ?? null,
      receipt: typeof remote.receipt === 'string' ? remote.receipt : (held?.receipt ?? null),
      stored: held !== undefined,
      usable: held !== undefined && status === 'issued' && isUsable({ ...held, status }, now),
    });
  }
  for (const held of stored) {
    if (seen.has(held.id)) continue;
    const status = statusAt(held.status, held.exp * 1000, now);
    views.push({
      id: held.id,
      benefit: held.benefit,
      affiliate: held.affiliate,
      status,
      expiresAt: new Date(held.exp * 1000).toISOString(),
      redeemedAt: held.redeemedAt,
      receipt: held.receipt,
      stored: true,
      usable: isUsable({ ...held, status }, now),
    });
  }
  const rank = (v: CredentialView) => (v.usable ? 0 : v.status === 'issued' ? 1 : 2);
  return views.sort((a, b) => rank(a) - rank(b) || Date.parse(a.expiresAt) - Date.parse(b.expiresAt));
}

/** The selectively disclosable details a credential carries, by claim name. */
export function disclosuresOf(credential: string): Map<string, DecodedDisclosure> {
  const map = new Map<string, DecodedDisclosure>();
  for (const d of decodeCredential(credential).disclosures) map.set(d.name, d);
  return map;
}

/** The soonest moment (ms) at which one of these usable credentials stops being usable, or null. */
export function nextExpiry(credentials: readonly StoredCredential[], now: Date): number | null {
  let soonest: number | null = null;
  for (const c of credentials) {
    if (!isUsable(c, now)) continue;
    const at = c.exp * 1000;
    if (soonest === null || at < soonest) soonest = at;
  }
  return soonest;
}
