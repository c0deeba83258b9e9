import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of session tokens, so a leaked one is recognisable (and told apart from API keys). */
export const SESSION_TOKEN_PREFIX = 'cps_';
/** Prefix of affiliate API keys (PROTOCOL.md §8 / issue 3). */
export const API_KEY_PREFIX = 'cpk_';

/** A new 256-bit secret with a recognisable prefix. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 hex of a high-entropy secret: how tokens and keys are stored and looked up. */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of two strings. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
