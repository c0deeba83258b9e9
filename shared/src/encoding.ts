import { sha256 } from '@noble/hashes/sha2.js';
import { base64url } from 'jose';
import { ClubpassError, type ErrorCode } from './errors.js';

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return utf8Encoder.encode(text) as Uint8Array<ArrayBuffer>;
}

/** base64url without padding (RFC 7515 §2). */
export function encodeBase64url(input: Uint8Array | string): string {
  return base64url.encode(input);
}

/**
 * Decodes strict base64url: no padding, whitespace, `+` or `/`, and no impossible length.
 * jose's own decoder is lenient about some of these, and the protocol (§5 rule 2) is not.
 */
export function decodeBase64urlStrict(segment: string, code: ErrorCode = 'malformed_credential'): Uint8Array {
  if (!BASE64URL.test(segment) || segment.length % 4 === 1) {
    throw new ClubpassError(code, 'a segment is not strict base64url (no padding, whitespace, "+" or "/")');
  }
  try {
    const bytes = base64url.decode(segment);
    // Reject non-canonical encodings (stray low bits in the last character): one value, one spelling.
    if (base64url.encode(bytes) !== segment) throw new Error('non-canonical');
    return bytes;
  } catch (cause) {
    throw new ClubpassError(code, 'a segment is not strict base64url', { cause });
  }
}

/** Decodes a strict base64url segment to UTF-8 text, failing with `code` on any invalid byte. */
export function decodeBase64urlText(segment: string, code: ErrorCode = 'malformed_credential'): string {
  const bytes = decodeBase64urlStrict(segment, code);
  try {
    return utf8Decoder.decode(bytes);
  } catch (cause) {
    throw new ClubpassError(code, 'a segment is not valid UTF-8', { cause });
  }
}

/** Parses JSON, failing with `code` instead of a SyntaxError. */
export function parseJson(text: string, code: ErrorCode = 'malformed_credential'): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ClubpassError(code, 'a part is not valid JSON', { cause });
  }
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Decodes a base64url JSON segment that must be an object (a JWS header or payload). */
export function decodeJsonObject(segment: string, code: ErrorCode = 'malformed_credential'): Record<string, unknown> {
  const value = parseJson(decodeBase64urlText(segment, code), code);
  if (!isObject(value)) throw new ClubpassError(code, 'a JSON part is not an object');
  return value;
}

/**
 * base64url(SHA-256(ASCII text)): the digest used for `_sd` entries and `sd_hash`.
 * Computed synchronously with @noble/hashes (audited, pure JS): a WebCrypto digest is a thread-pool
 * round trip of ~90 µs in Node, which for a handful of short disclosures costs more than the
 * signature itself. Signatures stay on WebCrypto.
 */
export async function sha256Base64url(text: string): Promise<string> {
  return encodeBase64url(sha256(utf8(text)));
}

/** `byteLength` random bytes from the platform CSPRNG, base64url encoded. */
export function randomBase64url(byteLength: number): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(byteLength)));
}
