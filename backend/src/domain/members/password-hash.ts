import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { PasswordParams } from '../../http/app-deps.js';

/** The production scrypt cost (PROTOCOL.md §6: N ≥ 2^17). */
export const PRODUCTION_PASSWORD_PARAMS: PasswordParams = { N: 2 ** 17, r: 8, p: 1 };

function derive(password: string, salt: Buffer, params: PasswordParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must exceed 128 * N * r bytes (128 MiB at N = 2^17), or Node refuses the parameters.
    const maxmem = 256 * params.N * params.r;
    // Async scrypt runs on libuv's thread pool: the event loop keeps serving other requests.
    scrypt(password.normalize('NFC'), salt, 32, { ...params, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Hashes a password (or PIN) with scrypt into a self-describing string `scrypt$N$r$p$salt$hash`. */
export async function hashPassword(password: string, params: PasswordParams): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Checks a password against a stored hash in constant time, with the parameters the hash was
 * made with (so raising the cost later keeps old hashes valid).
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
