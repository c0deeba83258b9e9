import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { type ManualClock, manualClock } from '../clock.js';
import { createStore, type Store } from '../store/store.js';
import { TEST_NOW } from '../test-support/test-backend.js';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '../test-support/test-database.js';
import { createKeyRing, MAX_CREDENTIAL_LIFETIME_SECONDS } from './create-key-ring.js';
import { createKeySealer, type KeySealer } from './key-sealer.js';

for (const kind of testDatabaseKinds()) {
  describe(`key ring on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    let clock: ManualClock;
    let sealer: KeySealer;
    beforeEach(async () => {
      database = await createTestDatabase(kind);
      store = createStore(database.db, database.kind);
      clock = manualClock(TEST_NOW);
      sealer = createKeySealer(randomBytes(32));
    });
    afterEach(() => database.dispose());

    const ring = (alg: 'EdDSA' | 'ES256' = 'EdDSA') => createKeyRing({ store, clock, sealer, alg });

    test('the first current() creates exactly one key, and later calls reuse it', async () => {
      const keyRing = ring();
      const first = await keyRing.current();
      assert.equal(first.alg, 'EdDSA');
      assert.equal(first.privateKey.type, 'private');
      assert.equal(first.privateKey.extractable, false, 'an unsealed key cannot be exported again');
      const again = await keyRing.current();
      assert.equal(again.kid, first.kid);
      // Another instance over the same database (another serve process) finds the same key.
      assert.equal((await ring().current()).kid, first.kid);
      assert.equal((await store.signingKeys.listAll()).length, 1);
    });

    test('published() on a fresh database creates the key and publishes only its public part', async () => {
      const keyRing = ring();
      const published = await keyRing.published();
      assert.equal(published.length, 1);
      const [jwk] = published;
      assert.equal(jwk?.kid, (await keyRing.current()).kid);
      assert.equal(jwk?.alg, 'EdDSA');
      assert.equal(jwk?.use, 'sig');
      assert.equal(jwk?.d, undefined);
      assert.equal((await store.signingKeys.listAll()).length, 1);
    });

    test('ES256 key rings make P-256 keys', async () => {
      const keyRing = ring('ES256');
      assert.equal((await keyRing.current()).alg, 'ES256');
      const [jwk] = await keyRing.published();
      assert.equal(jwk?.crv, 'P-256');
      assert.equal(jwk?.d, undefined);
    });

    test('rotate makes a new current key; the old one stays published until its credentials have expired', async () => {
      const keyRing = ring();
      const old = await keyRing.current();
      clock.advance(60);
      const fresh = await keyRing.rotate();
      assert.notEqual(fresh.kid, old.kid);
      assert.equal((await keyRing.current()).kid, fresh.kid);
      // Every instance sees the rotation at once.
      assert.equal((await ring().current()).kid, fresh.kid);

      const published = (await keyRing.published()).map((k) => k.kid).sort();
      assert.deepEqual(published, [old.kid, fresh.kid].sort());
      const retired = (await store.signingKeys.listAll()).find((k) => k.kid === old.kid);
      assert.equal(retired?.retiredAt, clock.now().toISOString());
      assert.equal(
        retired?.publishUntil,
        new Date(clock.now().getTime() + MAX_CREDENTIAL_LIFETIME_SECONDS * 1000).toISOString(),
      );

      clock.advance(MAX_CREDENTIAL_LIFETIME_SECONDS - 1);
      assert.equal((await keyRing.published()).length, 2);
      clock.advance(1);
      assert.deepEqual(
        (await keyRing.published()).map((k) => k.kid),
        [fresh.kid],
      );
    });

    test('trusted() imports the published keys, and they verify what the current key signs', async () => {
      const keyRing = ring();
      const old = await keyRing.current();
      await keyRing.rotate();
      const current = await keyRing.current();
      const trusted = await keyRing.trusted();
      assert.deepEqual([...trusted.keys()].sort(), [old.kid, current.kid].sort());

      const data = new TextEncoder().encode('a receipt');
      const signature = await crypto.subtle.sign('Ed25519', current.privateKey, data);
      const key = trusted.get(current.kid)?.key;
      assert.ok(key);
      assert.equal(await crypto.subtle.verify('Ed25519', key, signature, data), true);
      assert.equal(
        await crypto.subtle.verify('Ed25519', trusted.get(old.kid)?.key as CryptoKey, signature, data),
        false,
      );

      // After one more rotation the trusted set follows.
      await keyRing.rotate();
      assert.equal((await keyRing.trusted()).size, 3);
    });

    test('the private key is stored sealed: the row has no plaintext "d" and only this sealer opens it', async () => {
      await ring().current();
      const rows = await database.db.selectFrom('signing_keys').selectAll().execute();
      assert.equal(rows.length, 1);
      const row = rows[0];
      assert.ok(row);
      const opened = JSON.parse(sealer.open(row.private_key_sealed, row.kid)) as { d: string; x: string };
      assert.equal(typeof opened.d, 'string');
      assert.ok(opened.d.length >= 43);
      const rowText = JSON.stringify(row);
      assert.ok(!rowText.includes(opened.d), 'the private key appears in the database row');
      assert.ok(!rowText.includes('"d"') && !rowText.includes('\\"d\\"'), 'a "d" member is stored in clear');
      assert.equal((JSON.parse(row.public_jwk) as { d?: string }).d, undefined);

      // A copied database with another key-encryption key cannot sign.
      const stranger = createKeyRing({ store, clock, sealer: createKeySealer(randomBytes(32)), alg: 'EdDSA' });
      await assert.rejects(stranger.current(), /cannot be decrypted/);
    });
  });
}
