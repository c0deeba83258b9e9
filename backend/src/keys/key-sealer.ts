import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Encrypts private signing keys at rest (AES-256-GCM), so a copied database holds no usable key. */
export interface KeySealer {
  seal(plaintext: string, associatedData: string): string;
  open(sealed: string, associatedData: string): string;
}

/**
 * A sealer over a 32-byte key-encryption key. `associatedData` (the key id) binds each ciphertext
 * to its row, so sealed keys cannot be swapped between rows.
 */
export function createKeySealer(kek: Uint8Array): KeySealer {
  if (kek.length !== 32) throw new Error('the key-encryption key must be 32 bytes');
  const key = Buffer.from(kek);
  return {
    seal(plaintext, associatedData) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(associatedData, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [
        'v1',
        iv.toString('base64url'),
        body.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
      ].join('.');
    },
    open(sealed, associatedData) {
      const [version, iv, body, tag] = sealed.split('.');
      if (version !== 'v1' || !iv || body === undefined || !tag) throw new Error('a sealed key has an unknown format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new Error(
          'a signing key cannot be decrypted: CLUBPASS_KEY_ENCRYPTION_KEY (or data/key-encryption.key) is not the key it was sealed with',
        );
      }
    },
  };
}

/**
 * The key-encryption key: from the environment when given (base64url), otherwise a generated
 * file `key-encryption.key` (mode 0600) under the data directory, created on first start.
 */
export function loadKeyEncryptionKey(configured: string | null, dataDir: string): Uint8Array {
  if (configured !== null) return Buffer.from(configured, 'base64url');
  const path = join(dataDir, 'key-encryption.key');
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  chmodSync(path, 0o600);
  if ((statSync(path).mode & 0o077) !== 0) throw new Error(`${path} must be readable by its owner only (chmod 600)`);
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64url');
  if (key.length !== 32)
    throw new Error(`${path} does not hold a 32-byte key; restore it from backup or remove it on a fresh install`);
  return key;
}
