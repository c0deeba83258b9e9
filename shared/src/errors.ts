/**
 * The closed set of error codes from PROTOCOL.md §11, with their HTTP status.
 * Every failure the protocol names is one of these; nothing else is thrown for bad input.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  malformed_credential: 401,
  unsupported_algorithm: 401,
  invalid_type: 401,
  unknown_key: 401,
  invalid_signature: 401,
  wrong_issuer: 401,
  invalid_claims: 401,
  credential_expired: 401,
  credential_not_yet_valid: 401,
  invalid_disclosure: 401,
  holder_binding_required: 401,
  invalid_key_binding: 401,
  origin_mismatch: 401,
  nonce_mismatch: 401,
  key_binding_expired: 401,
  nonce_invalid: 401,
  pin_required: 401,
  pin_invalid: 401,
  unauthorized: 401,
  invalid_login: 401,
  forbidden: 403,
  wrong_audience: 403,
  not_found: 404,
  already_redeemed: 409,
  limit_reached: 409,
  conflict: 409,
  credential_revoked: 410,
  too_large: 413,
  idempotency_mismatch: 422,
  credential_locked: 423,
  rate_limited: 429,
  internal_error: 500,
} as const satisfies Record<string, number>;

/** One of the protocol's error codes (PROTOCOL.md §11). */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** A per-field problem with the input, reported in the problem document's `errors` array. */
export interface FieldError {
  path: string;
  message: string;
}

export interface ClubpassErrorOptions {
  /** Per-field errors for `invalid_request`. */
  errors?: FieldError[];
  /** Seconds until a retry may succeed, for `rate_limited`. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * The one error class of the protocol library and of every Clubpass service.
 * `code` is machine readable and stable; `message` is for people and may change.
 */
export class ClubpassError extends Error {
  override readonly name = 'ClubpassError';
  readonly code: ErrorCode;
  readonly errors: FieldError[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: ClubpassErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.errors = options.errors;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** The HTTP status the protocol assigns to this error's code. */
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** True when `value` is one of the protocol's error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}
