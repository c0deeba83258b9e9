import type { SigningKey, TrustedKeySet } from '@clubpass/shared';
import type { JWK } from 'jose';

/**
 * The club's signing keys as the rest of the backend uses them. Private keys never leave it:
 * callers get a {@link SigningKey} (a non-extractable CryptoKey) to sign with, and public JWKs.
 */
export interface KeyRing {
  /** The key that signs new credentials, receipts and the directory. */
  current(): Promise<SigningKey>;
  /** Public JWKs to publish: the current key and retired keys whose credentials may still be valid. */
  published(): Promise<JWK[]>;
  /** The published keys, imported for verification. */
  trusted(): Promise<TrustedKeySet>;
}
