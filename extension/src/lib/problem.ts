/**
 * Turns what the club answers (RFC 9457 problem documents, PROTOCOL.md §1) and transport failures
 * into something a member can read: the club's own `detail`, per-field messages, and a plain
 * title for the common codes.
 */
import type { UiProblem } from './messages.js';

const FRIENDLY: Record<string, string> = {
  invalid_login: 'That e-mail and password do not match an account.',
  rate_limited: 'Too many attempts.',
  unauthorized: 'Your session has ended. Please sign in again.',
  limit_reached: 'You have reached the limit for this benefit.',
  not_found: 'This benefit is no longer on offer.',
  conflict: 'That did not work because of a conflict.',
  forbidden: 'This account cannot do that.',
  invalid_request: 'Please check the highlighted fields.',
  internal_error: 'The club had a problem. Please try again in a moment.',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function problem(code: string, title: string, detail = '', status: number | null = null): UiProblem {
  return { code, title, detail, status, fieldErrors: [], retryAfterSeconds: null };
}

/** Parses a `Retry-After` header (seconds or an HTTP date) into whole seconds. */
export function parseRetryAfter(header: string | null, now: Date): number | null {
  if (header === null || header.trim() === '') return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/** Reads a failed response's body (a problem document, or anything else) into a {@link UiProblem}. */
export function problemFromResponse(status: number, body: unknown, retryAfter: string | null, now: Date): UiProblem {
  const doc = isRecord(body) ? body : {};
  const code = typeof doc.code === 'string' ? doc.code : status >= 500 ? 'internal_error' : `http_${status}`;
  const detail = typeof doc.detail === 'string' ? doc.detail : '';
  const fieldErrors = Array.isArray(doc.errors)
    ? doc.errors
        .filter(isRecord)
        .filter((e) => typeof e.path === 'string' && typeof e.message === 'string')
        .map((e) => ({ path: e.path as string, message: e.message as string }))
    : [];
  const title =
    FRIENDLY[code] ??
    (typeof doc.title === 'string' && doc.title !== '' ? doc.title : `The club answered with an error (${status}).`);
  return { code, title, detail, status, fieldErrors, retryAfterSeconds: parseRetryAfter(retryAfter, now) };
}

/** The problem shown when the club cannot be reached at all. */
export function networkProblem(clubUrl: string): UiProblem {
  return problem(
    'network_error',
    'Cannot reach your club.',
    `Nothing answered at ${clubUrl}. Check your connection, or the club address in Settings.`,
  );
}

/** Wraps anything thrown inside the extension into a problem the UI can show. */
export function internalProblem(error: unknown): UiProblem {
  const detail = error instanceof Error ? error.message : String(error);
  return problem('extension_error', 'Something went wrong in Clubpass.', detail);
}

/** "Try again in 3 minutes." for a rate limit, or '' when the club said nothing. */
export function retryText(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 60) return `Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
  const minutes = Math.ceil(seconds / 60);
  return `Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

/**
 * Groups per-field errors by the form field they belong to. The club reports paths like
 * `email` or `address.postal_code`; the form names its inputs the same way.
 */
export function fieldErrorMap(p: UiProblem): Map<string, string> {
  const map = new Map<string, string>();
  for (const e of p.fieldErrors) {
    const path = e.path === '' ? '_' : e.path;
    if (!map.has(path)) map.set(path, e.message);
  }
  return map;
}
