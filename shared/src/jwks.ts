import type { JWK } from 'jose';
import { isObject } from './encoding.js';
import { ClubpassError } from './errors.js';
import { importPublicJwk, jwkThumbprint, parsePublicJwk } from './public-jwk.js';
import type { TrustedKey, TrustedKeySet } from './types.js';

/** A JSON Web Key Set as served at `/.well-known/jwks.json`. */
export interface Jwks {
  keys: JWK[];
}

/**
 * Builds the published key set from public JWKs, keeping only public members, `kid`, `alg` and
 * `use`: a private member passed in by mistake never reaches the wire.
 */
export async function buildJwks(publicJwks: readonly JWK[]): Promise<Jwks> {
  const keys: JWK[] = [];
  for (const input of publicJwks) {
    const parsed = parsePublicJwk(input, 'invalid_request');
    keys.push({ ...parsed.jwk, kid: await jwkThumbprint(parsed.jwk), alg: parsed.alg, use: 'sig' });
  }
  return { keys };
}

/**
 * Imports a JWKS into the set of keys a verifier trusts. Every key must be a public EdDSA or
 * ES256 signing key whose `kid` is its RFC 7638 thumbprint and whose `alg` matches its type;
 * anything else makes the whole set invalid, so a poisoned JWKS is noticed instead of half-used.
 */
export async function importJwks(jwks: unknown): Promise<TrustedKeySet> {
  if (!isObject(jwks) || !Array.isArray(jwks.keys)) {
    throw new ClubpassError('invalid_request', 'the JWKS has no "keys" array');
  }
  const set = new Map<string, TrustedKey>();
  for (const entry of jwks.keys as unknown[]) {
    const parsed = parsePublicJwk(entry, 'invalid_request');
    const declared = entry as Record<string, unknown>;
    const kid = await jwkThumbprint(parsed.jwk);
    if (declared.kid !== kid) throw new ClubpassError('invalid_request', 'a JWKS "kid" is not the key thumbprint');
    if (declared.alg !== undefined && declared.alg !== parsed.alg) {
      throw new ClubpassError('invalid_request', `JWKS key ${kid} declares the wrong "alg"`);
    }
    if (declared.use !== undefined && declared.use !== 'sig') {
      throw new ClubpassError('invalid_request', `JWKS key ${kid} is not a signing key`);
    }
    if (declared.key_ops !== undefined && !(Array.isArray(declared.key_ops) && declared.key_ops.includes('verify'))) {
      throw new ClubpassError('invalid_request', `JWKS key ${kid} is not for verification`);
    }
    const key = await importPublicJwk(parsed, 'invalid_request');
    set.set(kid, { kid, alg: parsed.alg, key, jwk: { ...parsed.jwk, kid, alg: parsed.alg, use: 'sig' } });
  }
  return set;
}
