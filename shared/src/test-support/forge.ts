import { encodeBase64url, randomBase64url, sha256Base64url, utf8 } from '../encoding.js';
import { CREDENTIAL_TYP, KEY_BINDING_TYP } from '../types.js';
import { NOW_SECONDS } from './clock.js';
import { credentialClaims, holderJwk, NONCE, ORIGIN, type TestClub } from './club.js';

// Builders for tokens that issueCredential and presentCredential refuse to make. They sign with
// the real keys, so each malformed token differs from a good one only in the defect under test.

/** base64url(JSON): a JWS header or payload segment, or a disclosure. */
export function encodeJson(value: unknown): string {
  return encodeBase64url(utf8(JSON.stringify(value)));
}

/** Applies overrides to a copy; an override of `undefined` removes the member. */
export function withOverrides(
  base: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const out = { ...base };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}

/**
 * A compact JWS over any header, signed with WebCrypto directly: the signature algorithm follows
 * the key (Ed25519, ECDSA P-256 with SHA-256, or HMAC-SHA-256 for raw bytes), whatever the header
 * says, and no JOSE library gets a say in which headers are allowed.
 */
export async function signJws(
  key: CryptoKey | Uint8Array,
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
): Promise<string> {
  const signingInput = `${encodeJson(header)}.${encodeJson(payload)}`;
  let signature: ArrayBuffer;
  if (key instanceof Uint8Array) {
    const hmac = await crypto.subtle.importKey('raw', new Uint8Array(key), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    signature = await crypto.subtle.sign('HMAC', hmac, utf8(signingInput));
  } else {
    const params = key.algorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: key.algorithm.name };
    signature = await crypto.subtle.sign(params, key, utf8(signingInput));
  }
  return `${signingInput}.${encodeBase64url(new Uint8Array(signature))}`;
}

/** A compact JWS with no real signature, for `alg: none` and friends. */
export function unsignedJws(header: Record<string, unknown>, payload: Record<string, unknown>, signature = ''): string {
  return `${encodeJson(header)}.${encodeJson(payload)}.${signature}`;
}

/** A disclosure segment from any JSON value, well-formed or not. */
export function encodeDisclosure(value: unknown): string {
  return encodeJson(value);
}

/** A well-formed `[salt, name, value]` disclosure with a 128-bit salt. */
export function disclosureOf(name: string, value: unknown, saltBytes = 16): string {
  return encodeDisclosure([randomBase64url(saltBytes), name, value]);
}

export interface ForgeCredentialOptions {
  /** Header members over `{ alg, typ: dc+sd-jwt, kid }`; `undefined` removes one. */
  header?: Record<string, unknown>;
  /** Claims over the valid holder-bound set of {@link credentialClaims}. */
  claims?: Record<string, unknown>;
  /** Encoded disclosures to append; their digests go into `_sd` unless `digests` says otherwise. */
  disclosures?: readonly string[];
  /** The `_sd` array to sign, given the digests of `disclosures`. */
  digests?: (digests: string[]) => unknown;
  /** Sign with this key instead of the club's (the header still says what `header` says). */
  key?: CryptoKey | Uint8Array;
  /** Make the JWS some other way, e.g. {@link unsignedJws} for `alg: none`. */
  jws?: (header: Record<string, unknown>, payload: Record<string, unknown>) => string | Promise<string>;
}

/** An issuer-signed credential `jwt~d1~...~dn~` built by hand, signed by the club key unless told. */
export async function forgeCredential(club: TestClub, options: ForgeCredentialOptions = {}): Promise<string> {
  const disclosures = options.disclosures ?? [];
  const digests = await Promise.all(disclosures.map((d) => sha256Base64url(d)));
  const sd = options.digests === undefined ? digests : options.digests(digests);
  const payload = withOverrides({ ...credentialClaims(holderJwk(club)), _sd: sd, _sd_alg: 'sha-256' }, options.claims);
  const header = withOverrides({ alg: club.issuer.alg, typ: CREDENTIAL_TYP, kid: club.issuer.kid }, options.header);
  const jwt = await (options.jws === undefined
    ? signJws(options.key ?? club.issuer.privateKey, header, payload)
    : options.jws(header, payload));
  return `${jwt}~${disclosures.map((d) => `${d}~`).join('')}`;
}

export interface KeyBindingOptions {
  header?: Record<string, unknown>;
  payload?: Record<string, unknown>;
  /** Sign with this key instead of the holder's. */
  key?: CryptoKey;
}

/**
 * Appends a KB-JWT to `prefix` (everything up to and including the last `~`), signed by the
 * holder key, for {@link ORIGIN} and {@link NONCE} at {@link NOW_SECONDS}, with a correct `sd_hash`.
 */
export async function bindPresentation(
  club: TestClub,
  prefix: string,
  options: KeyBindingOptions = {},
): Promise<string> {
  const payload = withOverrides(
    { iat: NOW_SECONDS, aud: ORIGIN, nonce: NONCE, sd_hash: await sha256Base64url(prefix) },
    options.payload,
  );
  const header = withOverrides({ alg: club.holder.alg, typ: KEY_BINDING_TYP }, options.header);
  return `${prefix}${await signJws(options.key ?? club.holder.privateKey, header, payload)}`;
}
