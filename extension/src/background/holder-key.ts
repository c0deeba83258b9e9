/**
 * The holder key: generated once, in the background, as a non-extractable WebCrypto key pair
 * (Ed25519, or P-256 where the browser lacks Ed25519), and kept in the extension's IndexedDB.
 * Its public JWK goes with every issuance request; the private key only ever signs KB-JWTs here.
 */
import { generateKeyPair, type HolderKey, type SigningAlgorithm } from '@clubpass/shared';
import { idbAdd, idbGet } from './idb.js';

export interface StoredHolderKey {
  alg: SigningAlgorithm;
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JsonWebKey;
  createdAt: string;
}

const KEY_ID = 'holder';
let loading: Promise<StoredHolderKey> | null = null;

async function generate(): Promise<StoredHolderKey> {
  let pair: Awaited<ReturnType<typeof generateKeyPair>>;
  try {
    pair = await generateKeyPair('EdDSA', { extractable: false });
  } catch {
    pair = await generateKeyPair('ES256', { extractable: false });
  }
  if (pair.privateKey.extractable) throw new Error('the holder key must not be extractable');
  return {
    alg: pair.alg,
    kid: pair.kid,
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    publicJwk: pair.publicJwk,
    createdAt: new Date().toISOString(),
  };
}

async function loadOrCreate(): Promise<StoredHolderKey> {
  const existing = await idbGet<StoredHolderKey>('keys', KEY_ID);
  if (existing) return existing;
  const fresh = await generate();
  // `add` never overwrites: if another context stored a key first, that one is used.
  if (await idbAdd('keys', fresh, KEY_ID)) return fresh;
  const winner = await idbGet<StoredHolderKey>('keys', KEY_ID);
  if (!winner) throw new Error('the holder key could not be stored');
  return winner;
}

/** The holder key, created on first use. */
export function holderKey(): Promise<StoredHolderKey> {
  if (!loading) {
    loading = loadOrCreate().catch((error) => {
      loading = null;
      throw error;
    });
  }
  return loading;
}

export async function holderSigningKey(): Promise<HolderKey> {
  const key = await holderKey();
  return { alg: key.alg, privateKey: key.privateKey };
}
