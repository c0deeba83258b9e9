/**
 * What to tell the member for each protocol error code (PROTOCOL.md §11). The codes are for
 * machines; a shopper needs to know what happened and what to do next.
 */
const MESSAGES: Record<string, string> = {
  already_redeemed: 'This membership benefit has already been used.',
  credential_expired: 'This membership benefit has expired.',
  credential_not_yet_valid: 'This membership benefit is not valid yet.',
  credential_revoked: 'The club has withdrawn this membership benefit.',
  credential_locked: 'Too many wrong PINs: this benefit is locked. Please contact the club.',
  wrong_audience: 'This membership benefit is for another merchant.',
  origin_mismatch: 'This membership was presented to another website.',
  nonce_mismatch: 'This membership check has expired. Please use your membership again.',
  nonce_invalid: 'This membership check has expired. Please use your membership again.',
  key_binding_expired: 'This membership check has expired. Please use your membership again.',
  holder_binding_required: 'This benefit has to be shown with the Clubpass browser extension.',
  pin_required: 'Please enter the PIN you chose for this benefit.',
  pin_invalid: 'That PIN is not right.',
  limit_reached: 'This benefit has run out.',
  idempotency_mismatch: 'This order was already sent to the club with other details. Please start again.',
  rate_limited: 'The club is busy. Please try again in a moment.',
  unreachable: 'We could not reach the club just now. Please try again in a moment.',
};

/** A clear sentence for a failure code; the club's own detail is added where it helps (PIN attempts left). */
export function describeFailure(code: string, detail?: string): string {
  if (code === 'pin_invalid' && detail) return `That PIN is not right (${detail.replace(/^wrong PIN; /, '')}).`;
  return MESSAGES[code] ?? `Your membership could not be confirmed (${code}).`;
}
