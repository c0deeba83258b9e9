import { ClubpassError, ERROR_STATUS, type ErrorCode } from '@clubpass/shared';
import type { Response } from 'express';

const TITLES: Partial<Record<ErrorCode, string>> = {
  invalid_request: 'The request is not valid',
  unauthorized: 'Authentication is required',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  conflict: 'Conflict',
  too_large: 'The request body is too large',
  rate_limited: 'Too many attempts',
  internal_error: 'Internal error',
};

/**
 * Writes an RFC 9457 problem document for a {@link ClubpassError}. This is the one place where
 * protocol codes become HTTP statuses (from the §11 table in `ERROR_STATUS`).
 */
export function sendProblem(res: Response, error: ClubpassError): void {
  const status = ERROR_STATUS[error.code];
  if (error.retryAfterSeconds !== undefined)
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  if (status === 401 && error.code === 'unauthorized') res.setHeader('WWW-Authenticate', 'Bearer');
  res
    .status(status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: `urn:clubpass:error:${error.code}`,
        code: error.code,
        status,
        title: TITLES[error.code] ?? error.code.replaceAll('_', ' '),
        ...(error.message ? { detail: error.message } : {}),
        ...(error.errors ? { errors: error.errors } : {}),
      }),
    );
}

/** Shorthand for the not-found problem, which must not reveal whether an id exists elsewhere. */
export function notFound(what: string): ClubpassError {
  return new ClubpassError('not_found', `${what} was not found`);
}
