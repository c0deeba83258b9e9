import type { SigningAlgorithm } from './types.js';

function webCryptoParams(alg: SigningAlgorithm): AlgorithmIdentifier | EcdsaParams {
  return alg === 'ES256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'Ed25519' };
}

/** The byte length of a well-formed signature for each algorithm (ES256 is IEEE P1363 r||s). */
const SIGNATURE_LENGTH: Record<SigningAlgorithm, number> = { EdDSA: 64, ES256: 64 };

/**
 * Checks one JWS signature with WebCrypto. This is the only signature check in the library:
 * the credential, key-binding, directory and receipt verifiers all come through here, and the
 * Wycheproof vectors exercise it directly.
 *
 * @returns false for any signature that does not verify, including malformed ones and keys of
 *   the wrong type; it never throws for bad input.
 */
export async function verifySignature(
  alg: SigningAlgorithm,
  key: CryptoKey,
  data: Uint8Array<ArrayBuffer>,
  signature: Uint8Array,
): Promise<boolean> {
  if (signature.length !== SIGNATURE_LENGTH[alg]) return false;
  const expectedKeyAlgorithm = alg === 'ES256' ? 'ECDSA' : 'Ed25519';
  if (key.algorithm.name !== expectedKeyAlgorithm || key.type !== 'public') return false;
  try {
    return await crypto.subtle.verify(webCryptoParams(alg), key, new Uint8Array(signature), data);
  } catch {
    return false;
  }
}
