import { SALT_BYTES } from './disclosure.js';
import { decodeBase64urlStrict, sha256Base64url } from './encoding.js';
import { ClubpassError } from './errors.js';
import type { ParsedDisclosure } from './parse-presentation.js';

function invalid(message: string): never {
  throw new ClubpassError('invalid_disclosure', message);
}

/**
 * Rule 10 of PROTOCOL.md §5: every disclosure is a 3-element array with a salt of at least 128
 * bits, is referenced by exactly one `_sd` digest, appears once, and names neither `_sd`, `...`
 * nor a claim already in plain text. Returns the disclosed claims.
 */
export async function checkDisclosures(
  payload: Record<string, unknown>,
  disclosures: readonly ParsedDisclosure[],
): Promise<Record<string, unknown>> {
  const digests = Array.isArray(payload._sd) ? (payload._sd as string[]) : [];
  const seen = new Set<string>();
  // A Map, then Object.fromEntries: a claim named __proto__ stays a plain property.
  const disclosed = new Map<string, unknown>();
  for (const { encoded, value } of disclosures) {
    if (!Array.isArray(value) || value.length !== 3) invalid('a disclosure is not a [salt, name, value] array');
    const [salt, name, claimValue] = value as [unknown, unknown, unknown];
    if (typeof salt !== 'string' || typeof name !== 'string') invalid('a disclosure has a non-string salt or name');
    let saltBytes: Uint8Array;
    try {
      saltBytes = decodeBase64urlStrict(salt, 'invalid_disclosure');
    } catch {
      invalid('a disclosure salt is not base64url');
    }
    if (saltBytes.length < SALT_BYTES) invalid('a disclosure salt is under 128 bits');
    if (name === '_sd' || name === '...' || name === '_sd_alg') invalid(`a disclosure may not name "${name}"`);
    if (Object.hasOwn(payload, name)) invalid(`"${name}" is already in plain text`);
    const digest = await sha256Base64url(encoded);
    if (seen.has(digest)) invalid('a disclosure appears twice');
    seen.add(digest);
    const references = digests.filter((d) => d === digest).length;
    if (references !== 1) invalid('a disclosure is not referenced by exactly one digest');
    if (disclosed.has(name)) invalid(`"${name}" is disclosed twice`);
    disclosed.set(name, claimValue);
  }
  return Object.fromEntries(disclosed);
}
