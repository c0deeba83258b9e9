/**
 * The messages the extension exchanges: with the page (docs/snippet-messages.md, followed exactly),
 * between the content script and the background, and between the extension's own pages and the
 * background. Validation is here, pure, so it is tested under Node.
 */
import { DISCLOSABLE_CLAIMS } from '@clubpass/shared';

/** `{ clubpass: 1, type: 'request', id, affiliate, nonce, disclose }`, after validation. */
export interface PageRequest {
  id: string;
  nonce: string;
  disclose: string[];
}

const REQUEST_ID = /^[0-9a-f]{32}$/;
export const MAX_NONCE_LENGTH = 512;
const MAX_DISCLOSE = 32;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Keeps the claim names a credential can disclose (PROTOCOL.md §3), once each, in protocol order.
 * Unknown names are dropped: nothing else can be shared.
 */
export function normalizeDisclose(names: readonly string[]): string[] {
  const wanted = new Set(names);
  return DISCLOSABLE_CLAIMS.filter((claim) => wanted.has(claim));
}

/**
 * Reads a page's request message. Null for anything else (other messages, other versions,
 * malformed ids, nonces or claim lists): the content script then does nothing at all.
 */
export function parsePageRequest(data: unknown): PageRequest | null {
  if (!isRecord(data) || data.clubpass !== 1 || data.type !== 'request') return null;
  const { id, nonce, disclose } = data;
  if (typeof id !== 'string' || !REQUEST_ID.test(id)) return null;
  if (typeof nonce !== 'string' || nonce.length === 0 || nonce.length > MAX_NONCE_LENGTH) return null;
  if (!Array.isArray(disclose) || disclose.length > MAX_DISCLOSE) return null;
  if (!disclose.every((d): d is string => typeof d === 'string' && d.length <= 64)) return null;
  return { id, nonce, disclose: normalizeDisclose(disclose) };
}

/** Extension → page messages (docs/snippet-messages.md). */
export type PageReply =
  | { clubpass: 1; type: 'ack'; id: string }
  | { clubpass: 1; type: 'response'; id: string; presentation: string }
  | { clubpass: 1; type: 'response'; id: string; error: 'unavailable' };

export function ackMessage(id: string): PageReply {
  return { clubpass: 1, type: 'ack', id };
}

/** The reply for a background answer: a presentation string, or `unavailable` for anything else. */
export function responseMessage(id: string, answer: unknown): PageReply {
  if (isRecord(answer) && typeof answer.presentation === 'string' && answer.presentation.length > 0) {
    return { clubpass: 1, type: 'response', id, presentation: answer.presentation };
  }
  return { clubpass: 1, type: 'response', id, error: 'unavailable' };
}

/* ------------------------------------------------------------------------------------------ */
/* Content script ↔ background                                                                  */

/** The one runtime message a content script may send: "is the page I am on a partner?" */
export const PARTNER_CHECK = 'clubpass:partner-check';
/** The port a content script opens to forward one request; the background answers on it once. */
export const PRESENT_PORT = 'clubpass:present';

export interface PartnerCheckMessage {
  type: typeof PARTNER_CHECK;
}

export interface PresentRequestMessage {
  type: 'present';
  id: string;
  nonce: string;
  disclose: string[];
}

export function isPartnerCheck(message: unknown): message is PartnerCheckMessage {
  return isRecord(message) && message.type === PARTNER_CHECK;
}

/** Validates what a content script forwards over the present port (it is not trusted either). */
export function parsePresentRequest(message: unknown): PresentRequestMessage | null {
  if (!isRecord(message) || message.type !== 'present') return null;
  const request = parsePageRequest({ ...message, clubpass: 1, type: 'request' });
  return request === null ? null : { type: 'present', ...request };
}

/* ------------------------------------------------------------------------------------------ */
/* Extension pages (popup, options, consent) ↔ background                                       */

export interface SignUpInput {
  email: string;
  password: string;
  given_name: string;
  family_name: string;
  phone_number?: string;
  address?: Record<string, string>;
}

/** Requests the extension's own pages make to the background. Never accepted from a content script. */
export type Rpc =
  | { rpc: 'state' }
  | { rpc: 'signIn'; email: string; password: string }
  | { rpc: 'signUp'; input: SignUpInput }
  | { rpc: 'signOut' }
  | { rpc: 'catalog' }
  | { rpc: 'getCredential'; benefitId: string }
  | { rpc: 'credentials' }
  | { rpc: 'setClubUrl'; clubUrl: string }
  | { rpc: 'refreshDirectory' }
  | { rpc: 'consent:get'; requestId: string }
  | { rpc: 'consent:decide'; requestId: string; decision: ConsentDecision }
  | { rpc: 'consent:ping'; requestId: string };

export type ConsentDecision = { share: false } | { share: true; credentialId: string; disclose: string[] };

const RPC_NAMES = new Set<string>([
  'state',
  'signIn',
  'signUp',
  'signOut',
  'catalog',
  'getCredential',
  'credentials',
  'setClubUrl',
  'refreshDirectory',
  'consent:get',
  'consent:decide',
  'consent:ping',
]);

function strings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isDecision(value: unknown): value is ConsentDecision {
  if (!isRecord(value)) return false;
  if (value.share === false) return true;
  return value.share === true && typeof value.credentialId === 'string' && strings(value.disclose);
}

/** Checks an extension page's request before the background acts on it; null when malformed. */
export function parseRpc(message: unknown): Rpc | null {
  if (!isRecord(message) || typeof message.rpc !== 'string' || !RPC_NAMES.has(message.rpc)) return null;
  const m = message;
  switch (m.rpc) {
    case 'signIn':
      return typeof m.email === 'string' && typeof m.password === 'string'
        ? { rpc: 'signIn', email: m.email, password: m.password }
        : null;
    case 'signUp':
      return isRecord(m.input) ? { rpc: 'signUp', input: m.input as unknown as SignUpInput } : null;
    case 'getCredential':
      return typeof m.benefitId === 'string' ? { rpc: 'getCredential', benefitId: m.benefitId } : null;
    case 'setClubUrl':
      return typeof m.clubUrl === 'string' ? { rpc: 'setClubUrl', clubUrl: m.clubUrl } : null;
    case 'consent:get':
    case 'consent:ping':
      return typeof m.requestId === 'string' ? { rpc: m.rpc, requestId: m.requestId } : null;
    case 'consent:decide':
      return typeof m.requestId === 'string' && isDecision(m.decision)
        ? { rpc: 'consent:decide', requestId: m.requestId, decision: m.decision }
        : null;
    default:
      return { rpc: m.rpc } as Rpc;
  }
}

/** A problem shown to the member: from a problem document, a network failure or the extension itself. */
export interface UiProblem {
  code: string;
  title: string;
  detail: string;
  status: number | null;
  fieldErrors: { path: string; message: string }[];
  retryAfterSeconds: number | null;
}

export type RpcResult<T> = { ok: true; value: T } | { ok: false; problem: UiProblem };
