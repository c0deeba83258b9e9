import { exportJWK, type JWK, generateKeyPair as joseGenerateKeyPair } from 'jose';
import { jwkThumbprint, parsePublicJwk } from './public-jwk.js';
import type { SigningAlgorithm, SigningKey } from './types.js';

/** A freshly generated key pair with its public JWK as published (kid, alg, use). */
export interface GeneratedKeyPair extends SigningKey {
  publicKey: CryptoKey;
  publicJwk: JWK & { kid: string; alg: SigningAlgorithm; use: 'sig' };
}

/**
 * Generates an issuer or holder key pair with WebCrypto.
 *
 * @param alg `EdDSA` (Ed25519) or `ES256` (P-256); there is no default, so the choice is explicit.
 * @param options.extractable whether the private key may ever be exported: `false` for holder
 *   keys in the extension, `true` only where the club must encrypt it at rest.
 */
export async function generateKeyPair(
  alg: SigningAlgorithm,
  options: { extractable: boolean },
): Promise<GeneratedKeyPair> {
  const { privateKey, publicKey } = await joseGenerateKeyPair(alg, {
    ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
    extractable: options.extractable,
  });
  const publicJwk = await exportPublicJwk(publicKey);
  return { alg, kid: publicJwk.kid, privateKey, publicKey, publicJwk };
}

/**
 * Exports a public key as the JWK Clubpass publishes: key members, `kid` = RFC 7638 thumbprint,
 * `alg` and `use: "sig"`. Never includes private members.
 */
export async function exportPublicJwk(
  publicKey: CryptoKey,
): Promise<JWK & { kid: string; alg: SigningAlgorithm; use: 'sig' }> {
  const parsed = parsePublicJwk(await exportJWK(publicKey), 'invalid_request');
  return { ...parsed.jwk, kid: await jwkThumbprint(parsed.jwk), alg: parsed.alg, use: 'sig' };
}
