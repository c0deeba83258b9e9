import type { SigningKeysTable } from '../db/schema.js';
import type { StoreContext } from './kysely-db.js';

/** A club signing key as stored: the public JWK in clear, the private key sealed (AES-256-GCM). */
export interface StoredSigningKey {
  id: string;
  kid: string;
  alg: 'EdDSA' | 'ES256';
  publicJwk: Record<string, unknown>;
  privateKeySealed: string;
  createdAt: string;
  retiredAt: string | null;
  /** When a retired key may leave the JWKS: after the last credential it signed has expired. */
  publishUntil: string | null;
}

export interface SigningKeyStore {
  insert(key: StoredSigningKey): Promise<void>;
  /** The newest unretired key, or null on first start. */
  findCurrent(): Promise<StoredSigningKey | null>;
  /** Keys to publish at `now`: unretired ones and retired ones still inside `publishUntil`. */
  listPublished(now: string): Promise<StoredSigningKey[]>;
  listAll(): Promise<StoredSigningKey[]>;
  /** Retires every unretired key except `keepId`, publishing each until `publishUntil`. */
  retireAllExcept(keepId: string, retiredAt: string, publishUntil: string): Promise<void>;
}

type Row = SigningKeysTable;

function toKey(row: Row): StoredSigningKey {
  return {
    id: row.id,
    kid: row.kid,
    alg: row.alg as StoredSigningKey['alg'],
    publicJwk: JSON.parse(row.public_jwk) as Record<string, unknown>,
    privateKeySealed: row.private_key_sealed,
    createdAt: row.created_at,
    retiredAt: row.retired_at,
    publishUntil: row.publish_until,
  };
}

/** Creates the Kysely implementation of {@link SigningKeyStore}. */
export function createSigningKeyStore({ db }: StoreContext): SigningKeyStore {
  return {
    async insert(k) {
      await db
        .insertInto('signing_keys')
        .values({
          id: k.id,
          kid: k.kid,
          alg: k.alg,
          public_jwk: JSON.stringify(k.publicJwk),
          private_key_sealed: k.privateKeySealed,
          created_at: k.createdAt,
          retired_at: k.retiredAt,
          publish_until: k.publishUntil,
        })
        .execute();
    },
    async findCurrent() {
      const row = await db
        .selectFrom('signing_keys')
        .selectAll()
        .where('retired_at', 'is', null)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return row ? toKey(row) : null;
    },
    async listPublished(now) {
      const rows = await db
        .selectFrom('signing_keys')
        .selectAll()
        .where((eb) => eb.or([eb('retired_at', 'is', null), eb('publish_until', '>', now)]))
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(toKey);
    },
    async listAll() {
      const rows = await db.selectFrom('signing_keys').selectAll().orderBy('created_at', 'desc').execute();
      return rows.map(toKey);
    },
    async retireAllExcept(keepId, retiredAt, publishUntil) {
      await db
        .updateTable('signing_keys')
        .set({ retired_at: retiredAt, publish_until: publishUntil })
        .where('retired_at', 'is', null)
        .where('id', '!=', keepId)
        .execute();
    },
  };
}
