import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClubpassError, ERROR_STATUS, isErrorCode } from './errors.js';

test('every code has the HTTP status of PROTOCOL.md §11', () => {
  const bySection11: Record<number, string[]> = {
    400: ['invalid_request'],
    401: [
      ...['malformed_credential', 'unsupported_algorithm', 'invalid_type', 'unknown_key', 'invalid_signature'],
      ...['wrong_issuer', 'invalid_claims', 'credential_expired', 'credential_not_yet_valid', 'invalid_disclosure'],
      ...['holder_binding_required', 'invalid_key_binding', 'origin_mismatch', 'nonce_mismatch'],
      ...['key_binding_expired', 'nonce_invalid', 'pin_required', 'pin_invalid', 'unauthorized', 'invalid_login'],
    ],
    403: ['forbidden', 'wrong_audience'],
    404: ['not_found'],
    409: ['already_redeemed', 'limit_reached', 'conflict'],
    410: ['credential_revoked'],
    413: ['too_large'],
    422: ['idempotency_mismatch'],
    423: ['credential_locked'],
    429: ['rate_limited'],
    500: ['internal_error'],
  };
  const expected = Object.entries(bySection11).flatMap(([status, codes]) => codes.map((c) => [c, Number(status)]));
  assert.deepEqual(Object.entries(ERROR_STATUS).sort(), expected.sort());
});

test('ClubpassError carries its code, status and cause', () => {
  const cause = new Error('inner');
  const error = new ClubpassError('wrong_audience', 'for another affiliate', { cause });
  assert.ok(error instanceof Error);
  assert.equal(error.name, 'ClubpassError');
  assert.equal(error.code, 'wrong_audience');
  assert.equal(error.status, 403);
  assert.equal(error.cause, cause);
});

test('isErrorCode knows the codes and nothing inherited', () => {
  assert.equal(isErrorCode('nonce_mismatch'), true);
  for (const value of ['__proto__', 'constructor', 'toString', 'NONCE_MISMATCH', '', 401, null]) {
    assert.equal(isErrorCode(value), false, String(value));
  }
});
