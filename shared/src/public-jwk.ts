import { calculateJwkThumbprint, importJWK, type JWK } from 'jose';
import { decodeBase64urlStrict, isObject } from './encoding.js';
import { ClubpassError, type ErrorCode } from './errors.js';
import type { SigningAlgorithm } from './types.js';

/** A validated public key: Ed25519 (`EdDSA`) or P-256 (`ES256`), with only its public members. */
export interface PublicJwk {
  alg: SigningAlgorithm;
  /** The key members alone (kty, crv, x[, y]): what the thumbprint and `cnf.jwk` are made of. */
  jwk: JWK;
}

function coordinate(value: unknown, name: string, code: ErrorCode): string {
  if (typeof value !== 'string') throw new ClubpassError(code, `the key has no "${name}"`);
  if (decodeBase64urlStrict(value, code).length !== 32) {
    throw new ClubpassError(code, `the key's "${name}" is not 32 bytes`);
  }
  return value;
}

/**
 * Checks that `value` is a public JWK Clubpass accepts (OKP Ed25519 or EC P-256) and returns the
 * key members alone. Private members (`d`), symmetric keys and every other type fail with `code`.
 */
export function parsePublicJwk(value: unknown, code: ErrorCode): PublicJwk {
  if (!isObject(value)) throw new ClubpassError(code, 'the key is not a JWK object');
  if ('d' in value || 'k' in value) throw new ClubpassError(code, 'the key has private members');
  if (value.kty === 'OKP' && value.crv === 'Ed25519') {
    return { alg: 'EdDSA', jwk: { kty: 'OKP', crv: 'Ed25519', x: coordinate(value.x, 'x', code) } };
  }
  if (value.kty === 'EC' && value.crv === 'P-256') {
    return {
      alg: 'ES256',
      jwk: { kty: 'EC', crv: 'P-256', x: coordinate(value.x, 'x', code), y: coordinate(value.y, 'y', code) },
    };
  }
  throw new ClubpassError(code, 'the key is neither OKP Ed25519 nor EC P-256');
}

/** RFC 7638 SHA-256 thumbprint of a public JWK, base64url: the `kid` of every Clubpass key. */
export async function jwkThumbprint(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}

/**
 * Imports a validated public JWK as a WebCrypto verification key.
 * An invalid point (not on the curve) fails with `code`.
 */
export async function importPublicJwk(key: PublicJwk, code: ErrorCode): Promise<CryptoKey> {
  try {
    const imported = await importJWK({ ...key.jwk, ext: true }, key.alg);
    if (imported instanceof Uint8Array) throw new Error('symmetric key');
    return imported;
  } catch (cause) {
    throw new ClubpassError(code, 'the key could not be imported', { cause });
  }
}
