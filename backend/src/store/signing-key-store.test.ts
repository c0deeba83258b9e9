import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '../test-support/test-database.js';
import type { StoredSigningKey } from './signing-key-store.js';
import { createStore, type Store } from './store.js';

function key(n: number, createdAt: string): StoredSigningKey {
  return {
    id: `key_${n}`,
    kid: `kid-${n}`,
    alg: n % 2 === 0 ? 'EdDSA' : 'ES256',
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x: `x${n}`, kid: `kid-${n}`, alg: 'EdDSA', use: 'sig' },
    privateKeySealed: `v1.iv${n}.body${n}.tag${n}`,
    createdAt,
    retiredAt: null,
    publishUntil: null,
  };
}

for (const kind of testDatabaseKinds()) {
  describe(`signing key store on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    beforeEach(async () => {
      database = await createTestDatabase(kind);
      store = createStore(database.db, database.kind);
    });
    afterEach(() => database.dispose());

    test('there is no current key before the first one is stored', async () => {
      assert.equal(await store.signingKeys.findCurrent(), null);
      assert.deepEqual(await store.signingKeys.listPublished('2026-12-03T12:00:00.000Z'), []);
      assert.deepEqual(await store.signingKeys.listAll(), []);
    });

    test('a stored key reads back unchanged, and the newest unretired key is current', async () => {
      const older = key(1, '2026-12-01T00:00:00.000Z');
      const newer = key(2, '2026-12-02T00:00:00.000Z');
      await store.signingKeys.insert(newer);
      await store.signingKeys.insert(older);
      assert.deepEqual(await store.signingKeys.findCurrent(), newer);
      assert.deepEqual(await store.signingKeys.listAll(), [newer, older]);
    });

    test('retiring keeps one key current and publishes the others until publishUntil', async () => {
      const a = key(1, '2026-12-01T00:00:00.000Z');
      const b = key(2, '2026-12-02T00:00:00.000Z');
      const c = key(3, '2026-12-03T00:00:00.000Z');
      for (const k of [a, b, c]) await store.signingKeys.insert(k);
      // Keep the oldest: retireAllExcept, not "newest wins", decides what is current.
      await store.signingKeys.retireAllExcept(a.id, '2026-12-03T12:00:00.000Z', '2027-12-03T12:01:00.000Z');
      assert.equal((await store.signingKeys.findCurrent())?.id, a.id);

      const published = await store.signingKeys.listPublished('2026-12-03T12:00:00.000Z');
      assert.deepEqual(published.map((k) => k.id).sort(), [a.id, b.id, c.id]);
      const retired = published.find((k) => k.id === b.id);
      assert.equal(retired?.retiredAt, '2026-12-03T12:00:00.000Z');
      assert.equal(retired?.publishUntil, '2027-12-03T12:01:00.000Z');

      // From publishUntil on, only the current key is published.
      const later = await store.signingKeys.listPublished('2027-12-03T12:01:00.000Z');
      assert.deepEqual(
        later.map((k) => k.id),
        [a.id],
      );
      assert.equal((await store.signingKeys.listAll()).length, 3);
    });

    test('a second retirement leaves earlier retired keys alone', async () => {
      const a = key(1, '2026-12-01T00:00:00.000Z');
      const b = key(2, '2026-12-02T00:00:00.000Z');
      const c = key(3, '2026-12-03T00:00:00.000Z');
      await store.signingKeys.insert(a);
      await store.signingKeys.insert(b);
      await store.signingKeys.retireAllExcept(b.id, '2026-12-02T00:00:00.000Z', '2027-01-01T00:00:00.000Z');
      await store.signingKeys.insert(c);
      await store.signingKeys.retireAllExcept(c.id, '2026-12-03T00:00:00.000Z', '2027-02-01T00:00:00.000Z');
      const byId = new Map((await store.signingKeys.listAll()).map((k) => [k.id, k]));
      assert.equal(byId.get(a.id)?.publishUntil, '2027-01-01T00:00:00.000Z');
      assert.equal(byId.get(b.id)?.publishUntil, '2027-02-01T00:00:00.000Z');
      assert.equal(byId.get(c.id)?.retiredAt, null);
    });

    test('a kid is stored once', async () => {
      await store.signingKeys.insert(key(1, '2026-12-01T00:00:00.000Z'));
      await assert.rejects(store.signingKeys.insert({ ...key(1, '2026-12-02T00:00:00.000Z'), id: 'key_other' }));
    });
  });
}
