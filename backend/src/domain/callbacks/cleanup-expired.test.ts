import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createAffiliateWithBenefit,
  idempotencyKey,
  issueHeldCredential,
  presentTo,
  redeem,
  type TestAffiliate,
} from '../../test-support/redemption-fixture.js';
import { startTestBackend, TEST_NOW, type TestBackend } from '../../test-support/test-backend.js';
import { testDatabaseKinds } from '../../test-support/test-database.js';
import { cleanupExpired, IDEMPOTENCY_RETENTION_SECONDS, NONCE_RETENTION_SECONDS } from './cleanup-expired.js';
import { NONCE_TTL_SECONDS } from './create-nonce.js';

const HOUR = 3600;

for (const kind of testDatabaseKinds()) {
  describe(`cleanupExpired on ${kind}`, () => {
    let backend: TestBackend;
    let shop: TestAffiliate;
    let benefitId: string;

    before(async () => {
      backend = await startTestBackend(kind);
      ({ affiliate: shop, benefitId } = await createAffiliateWithBenefit(backend));
    });
    after(() => backend.close());

    const count = async (table: 'nonces' | 'idempotency_keys' | 'sessions' | 'login_failures') =>
      Number(
        (
          await backend.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const at = (seconds: number) => backend.clock.set(new Date(Date.parse(TEST_NOW) + seconds * 1000));

    test('keeps what is live or recent, removes the rest, and reports what it removed', async () => {
      at(0);
      const held = await issueHeldCredential(backend, benefitId);
      const body = await presentTo(backend, shop, held);
      const key = idempotencyKey();
      const first = await redeem(backend, shop, body, key);
      assert.equal(first.status, 201);
      const failed = await backend.request('POST', '/v1/sessions', {
        body: { email: held.member.email, password: 'not the password' },
      });
      assert.equal(failed.status, 401);
      at(HOUR);
      const liveNonce = await backend.request('POST', '/v1/nonces', { token: shop.apiKey });
      assert.equal(liveNonce.status, 201);

      // A day on: the nonces are expired but kept for support questions; the replay still answers.
      at(NONCE_RETENTION_SECONDS);
      const nothingYet = await cleanupExpired(backend.deps);
      assert.equal(nothingYet.nonces, 0);
      assert.equal(nothingYet.idempotencyKeys, 0);
      const replay = await redeem(backend, shop, body, key);
      assert.equal(replay.status, 201, 'an Idempotency-Key is kept at least 24 h');
      assert.deepEqual(replay.body, first.body);

      // Past the retention of the first nonces (issued at 0), not of the one issued an hour later.
      at(NONCE_RETENTION_SECONDS + NONCE_TTL_SECONDS + 1);
      const noncesBefore = await count('nonces');
      const sessionsBefore = await count('sessions');
      const failuresBefore = await count('login_failures');
      const removed = await cleanupExpired(backend.deps);
      assert.equal(removed.nonces, noncesBefore - 1, 'all but the later nonce');
      assert.equal(await count('nonces'), 1);
      assert.equal(removed.sessions, sessionsBefore, 'every session here was 12 h old or more');
      assert.equal(await count('sessions'), 0);
      assert.equal(removed.loginFailures, failuresBefore);
      assert.ok(failuresBefore >= 1, 'the failed login was recorded');
      assert.equal(await count('login_failures'), 0);
      assert.equal(removed.idempotencyKeys, 0);
      assert.equal(await count('idempotency_keys'), 1);

      assert.ok(IDEMPOTENCY_RETENTION_SECONDS >= 24 * HOUR);
      at(IDEMPOTENCY_RETENTION_SECONDS - 1);
      const almost = await cleanupExpired(backend.deps);
      assert.equal(almost.idempotencyKeys, 0);
      assert.equal(almost.nonces, 1, 'the later nonce, now past its retention too');
      assert.equal(await count('nonces'), 0);
      at(IDEMPOTENCY_RETENTION_SECONDS + 1);
      const late = await cleanupExpired(backend.deps);
      assert.equal(late.idempotencyKeys, 1);
      assert.equal(await count('idempotency_keys'), 0);
    });

    test('a run with nothing to do removes nothing', async () => {
      at(IDEMPOTENCY_RETENTION_SECONDS + 2);
      assert.deepEqual(await cleanupExpired(backend.deps), {
        nonces: 0,
        sessions: 0,
        loginFailures: 0,
        idempotencyKeys: 0,
      });
    });
  });
}
