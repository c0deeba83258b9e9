import { encodeBase64url, randomBase64url, sha256Base64url, utf8 } from './encoding.js';

/** Salt length in bytes: 128 bits from the CSPRNG (RFC 9901 §4.2.1, PROTOCOL.md §3). */
export const SALT_BYTES = 16;

/** One selectively disclosable claim, encoded, with the digest the issuer signs. */
export interface Disclosure {
  name: string;
  value: unknown;
  /** base64url(JSON [salt, name, value]): the segment that travels between `~`. */
  encoded: string;
  /** base64url(SHA-256(encoded)): the entry in `_sd`. */
  digest: string;
}

/** Makes a disclosure for one object property with a fresh random salt. */
export async function createDisclosure(name: string, value: unknown): Promise<Disclosure> {
  const encoded = encodeBase64url(utf8(JSON.stringify([randomBase64url(SALT_BYTES), name, value])));
  return { name, value, encoded, digest: await sha256Base64url(encoded) };
}

/** Fisher-Yates with CSPRNG indices, so the `_sd` order leaks nothing about claim names. */
export function shuffle<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomIndex(i + 1);
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

function randomIndex(bound: number): number {
  // Rejection sampling: no modulo bias.
  const limit = Math.floor(0x1_0000_0000 / bound) * bound;
  const buffer = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buffer);
    const value = buffer[0] as number;
    if (value < limit) return value % bound;
  }
}
