import {
  type Clock,
  type GeneratedKeyPair,
  generateKeyPair,
  importJwks,
  type SigningAlgorithm,
  type SigningKey,
  type TrustedKeySet,
} from '@clubpass/shared';
import { exportJWK, importJWK, type JWK } from 'jose';
import { newId } from '../ids.js';
import type { StoredSigningKey } from '../store/signing-key-store.js';
import type { Store } from '../store/store.js';
import type { KeyRing } from './key-ring.js';
import type { KeySealer } from './key-sealer.js';

/** The longest a credential can live (PROTOCOL.md §8), plus the 60 s verifiers allow for skew. */
export const MAX_CREDENTIAL_LIFETIME_SECONDS = 31_536_000 + 60;

/** A key ring that can also rotate: what the admin API and the CLI use. */
export interface RotatingKeyRing extends KeyRing {
  /** Makes a new current key; older keys stay published until their credentials have expired. */
  rotate(): Promise<JWK>;
}

export interface KeyRingDeps {
  store: Store;
  clock: Clock;
  sealer: KeySealer;
  /** The algorithm of newly generated keys. */
  alg: SigningAlgorithm;
}

/**
 * The club's key ring over the database. Every call reads the key rows (one indexed query), so a
 * rotation made by one backend instance is seen by all others at once; imported CryptoKeys are
 * cached per key id. Private keys are held as non-extractable CryptoKeys once unsealed.
 */
export function createKeyRing(deps: KeyRingDeps): RotatingKeyRing {
  const signers = new Map<string, SigningKey>();
  let trustedCache: { ids: string; set: TrustedKeySet } | null = null;

  async function create(): Promise<StoredSigningKey> {
    const pair: GeneratedKeyPair = await generateKeyPair(deps.alg, { extractable: true });
    const stored: StoredSigningKey = {
      id: newId('key'),
      kid: pair.kid,
      alg: pair.alg,
      publicJwk: pair.publicJwk as Record<string, unknown>,
      privateKeySealed: deps.sealer.seal(JSON.stringify(await exportJWK(pair.privateKey)), pair.kid),
      createdAt: deps.clock.now().toISOString(),
      retiredAt: null,
      publishUntil: null,
    };
    await deps.store.signingKeys.insert(stored);
    return stored;
  }

  async function signerFor(stored: StoredSigningKey): Promise<SigningKey> {
    const cached = signers.get(stored.id);
    if (cached) return cached;
    const jwk = JSON.parse(deps.sealer.open(stored.privateKeySealed, stored.kid)) as JWK;
    const privateKey = await importJWK(jwk, stored.alg, { extractable: false });
    if (privateKey instanceof Uint8Array) throw new Error('a signing key is not an asymmetric key');
    const signer: SigningKey = { kid: stored.kid, alg: stored.alg, privateKey };
    signers.set(stored.id, signer);
    return signer;
  }

  return {
    async current() {
      const stored = (await deps.store.signingKeys.findCurrent()) ?? (await create());
      return signerFor(stored);
    },
    async published() {
      const now = deps.clock.now().toISOString();
      let keys = await deps.store.signingKeys.listPublished(now);
      if (keys.length === 0) keys = [await create()];
      return keys.map((k) => k.publicJwk as JWK);
    },
    async trusted() {
      const published = await this.published();
      const ids = published.map((k) => k.kid).join(',');
      if (trustedCache?.ids !== ids) trustedCache = { ids, set: await importJwks({ keys: published }) };
      return trustedCache.set;
    },
    async rotate() {
      const fresh = await create();
      const now = deps.clock.now();
      const publishUntil = new Date(now.getTime() + MAX_CREDENTIAL_LIFETIME_SECONDS * 1000).toISOString();
      await deps.store.signingKeys.retireAllExcept(fresh.id, now.toISOString(), publishUntil);
      return fresh.publicJwk as JWK;
    },
  };
}
