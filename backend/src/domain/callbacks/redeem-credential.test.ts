import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { decodeCredential, presentCredential } from '@clubpass/shared';
import {
  createAffiliateWithBenefit,
  idempotencyKey,
  issueHeldCredential,
  issueLinkCredential,
  presentTo,
  redeem,
  redeemOnce,
  type TestAffiliate,
  verify,
} from '../../test-support/redemption-fixture.js';
import { signUpMember, type TestMember } from '../../test-support/test-accounts.js';
import { startTestBackend, TEST_NOW, type TestBackend } from '../../test-support/test-backend.js';
import { testDatabaseKinds } from '../../test-support/test-database.js';
import { MAX_PIN_FAILURES } from './redeem-credential.js';

// §5 rules 15-16 over HTTP (PIN, lock, already redeemed), exactly-once under parallel requests,
// and the link-credential path of §9.

for (const kind of testDatabaseKinds()) {
  describe(`POST /v1/redemptions: PIN, exactly once, link credentials on ${kind}`, () => {
    let backend: TestBackend;
    let shop: TestAffiliate;
    let benefitId: string;
    let adminToken: string;

    let member: TestMember;

    before(async () => {
      backend = await startTestBackend(kind);
      member = await signUpMember(backend, { address: { locality: 'Berlin', country: 'DE' } });
      ({ affiliate: shop, benefitId, adminToken } = await createAffiliateWithBenefit(backend));
    });
    after(() => backend.close());
    beforeEach(() => backend.clock.set(TEST_NOW));

    const credentialRow = (id: string) =>
      backend.database.db
        .selectFrom('credentials')
        .select(['status', 'pin_failures'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    const countFor = async (table: 'redemptions' | 'billing_lines', credentialId: string) =>
      table === 'redemptions'
        ? (
            await backend.database.db
              .selectFrom('redemptions')
              .select('id')
              .where('credential_id', '=', credentialId)
              .execute()
          ).length
        : (
            await backend.database.db
              .selectFrom('billing_lines')
              .innerJoin('redemptions', 'redemptions.id', 'billing_lines.redemption_id')
              .select('billing_lines.id')
              .where('redemptions.credential_id', '=', credentialId)
              .execute()
          ).length;

    test('rule 15: no PIN is 401 pin_required and is not counted; a wrong PIN is pin_invalid', async () => {
      const held = await issueHeldCredential(backend, benefitId, { member, pin: '1357' });
      const body = await presentTo(backend, shop, held);
      for (let i = 0; i < MAX_PIN_FAILURES + 2; i += 1) {
        const res = await redeem(backend, shop, body);
        assert.equal(res.status, 401);
        assert.equal(res.body.code, 'pin_required');
      }
      assert.equal(Number((await credentialRow(held.credentialId)).pin_failures), 0);
      const wrong = await redeem(backend, shop, { ...body, pin: '0000' });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.code, 'pin_invalid');
      assert.equal(Number((await credentialRow(held.credentialId)).pin_failures), 1);
      const right = await redeem(backend, shop, { ...body, pin: '1357' });
      assert.equal(right.status, 201, 'the same nonce still works: failures use nothing up');
    });

    test('rule 15: five wrong PINs lock the credential: 423 credential_locked even with the right PIN', async () => {
      const held = await issueHeldCredential(backend, benefitId, { member, pin: '8642' });
      const body = await presentTo(backend, shop, held);
      for (let i = 1; i <= MAX_PIN_FAILURES; i += 1) {
        const res = await redeem(backend, shop, { ...body, pin: `000${i}` });
        assert.equal(res.status, 401, `attempt ${i}`);
        assert.equal(res.body.code, 'pin_invalid', `attempt ${i}`);
      }
      assert.equal((await credentialRow(held.credentialId)).status, 'locked');
      for (const pin of ['8642', '0000', undefined]) {
        const res = await redeem(backend, shop, { ...body, ...(pin ? { pin } : {}) });
        assert.equal(res.status, 423, `pin ${pin}`);
        assert.equal(res.body.code, 'credential_locked');
      }
      const verified = await verify(backend, shop, body);
      assert.equal(verified.status, 423);
      assert.equal(verified.body.code, 'credential_locked');
      assert.equal(await countFor('redemptions', held.credentialId), 0);
    });

    test('parallel PIN guesses cannot get past the five-strike lock, nor learn the PIN from the answer', async () => {
      for (let round = 0; round < 2; round += 1) {
        const link = await issueLinkCredential(backend, benefitId, '424242', member);
        const presentation = await presentCredential({ credential: link.credential, disclose: [], keyBinding: null });
        const pins = Array.from({ length: 30 }, (_, i) => (i === 29 ? '424242' : String(100000 + i)));
        const results = await Promise.all(pins.map((pin) => redeem(backend, shop, { presentation, pin })));
        const wrong = results.slice(0, 29);
        const answered = wrong.filter((r) => r.status === 401);
        for (const r of answered) assert.equal(r.body.code, 'pin_invalid');
        assert.ok(answered.length <= MAX_PIN_FAILURES, `${answered.length} wrong PINs were checked`);
        for (const r of wrong.filter((x) => x.status !== 401)) {
          assert.equal(r.status, 423, JSON.stringify(r.body));
          assert.equal(r.body.code, 'credential_locked');
        }
        const right = results[29];
        assert.ok(right?.status === 201 || right?.status === 423, `the right PIN got ${JSON.stringify(right?.body)}`);
        const row = await credentialRow(link.credentialId);
        assert.equal(row.status, right?.status === 201 && answered.length < MAX_PIN_FAILURES ? 'redeemed' : 'locked');
        assert.ok(Number(row.pin_failures) <= MAX_PIN_FAILURES);
      }
    });

    test('rule 16: a credential redeemed once is 409 already_redeemed on both endpoints', async () => {
      const held = await issueHeldCredential(backend, benefitId, { member });
      await redeemOnce(backend, shop, held);
      const again = await presentTo(backend, shop, held);
      for (const res of [await verify(backend, shop, again), await redeem(backend, shop, again)]) {
        assert.equal(res.status, 409);
        assert.equal(res.body.code, 'already_redeemed');
      }
      assert.equal(await countFor('redemptions', held.credentialId), 1);
    });

    test('rules 14-16 in order: revoked before the PIN; the PIN before already_redeemed', async () => {
      const revoked = await issueHeldCredential(backend, benefitId, { member, pin: '1111' });
      const revoke = await backend.request('POST', `/v1/admin/credentials/${revoked.credentialId}/revoke`, {
        token: adminToken,
      });
      assert.equal(revoke.status, 200, JSON.stringify(revoke.body));
      const res = await redeem(backend, shop, await presentTo(backend, shop, revoked));
      assert.equal(res.status, 410, 'not pin_required');
      assert.equal(res.body.code, 'credential_revoked');
      const withPin = await redeem(backend, shop, { ...(await presentTo(backend, shop, revoked)), pin: '1111' });
      assert.equal(withPin.status, 410);
      assert.equal(withPin.body.code, 'credential_revoked');

      const held = await issueHeldCredential(backend, benefitId, { member, pin: '4321' });
      await redeemOnce(backend, shop, held, { pin: '4321' });
      const body = await presentTo(backend, shop, held);
      const noPin = await redeem(backend, shop, body);
      assert.equal(noPin.status, 401, JSON.stringify(noPin.body));
      assert.equal(noPin.body.code, 'pin_required');
      const wrongPin = await redeem(backend, shop, { ...body, pin: '9999' });
      assert.equal(wrongPin.status, 401);
      assert.equal(wrongPin.body.code, 'pin_invalid');
      assert.equal(Number((await credentialRow(held.credentialId)).pin_failures), 1, 'and it counts');
      const rightPin = await redeem(backend, shop, { ...body, pin: '4321' });
      assert.equal(rightPin.status, 409);
      assert.equal(rightPin.body.code, 'already_redeemed');
    });

    test('50 parallel redemptions of one credential: exactly one 201, 49 × 409 already_redeemed', async () => {
      const held = await issueHeldCredential(backend, benefitId, { member });
      const bodies = await Promise.all(Array.from({ length: 50 }, () => presentTo(backend, shop, held)));
      const keys = bodies.map(() => idempotencyKey());
      const results = await Promise.all(bodies.map((body, i) => redeem(backend, shop, body, keys[i])));
      const statuses = results.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 201).length, 1, JSON.stringify(statuses));
      const losers = results.filter((r) => r.status !== 201);
      assert.equal(losers.length, 49);
      for (const r of losers) {
        assert.equal(r.status, 409, JSON.stringify(r.body));
        assert.equal(r.body.code, 'already_redeemed');
      }
      assert.equal(await countFor('redemptions', held.credentialId), 1);
      assert.equal(await countFor('billing_lines', held.credentialId), 1);
      assert.equal((await credentialRow(held.credentialId)).status, 'redeemed');
    });

    test('parallel retries with one Idempotency-Key all get the one 201 answer', async () => {
      const held = await issueHeldCredential(backend, benefitId, { member });
      const body = await presentTo(backend, shop, held);
      const key = idempotencyKey();
      const results = await Promise.all(Array.from({ length: 20 }, () => redeem(backend, shop, body, key)));
      const created = results.filter((r) => r.status === 201);
      for (const r of results) assert.ok(r.status === 201 || r.status === 409, `${r.status} ${JSON.stringify(r.body)}`);
      assert.ok(created.length >= 1);
      for (const r of created) assert.deepEqual(r.body, created[0]?.body);
      for (const r of results.filter((x) => x.status === 409)) assert.equal(r.body.code, 'conflict');
      assert.equal(await countFor('redemptions', held.credentialId), 1);
      const replay = await redeem(backend, shop, body, key);
      assert.equal(replay.status, 201);
      assert.deepEqual(replay.body, created[0]?.body);
    });

    test('a link credential redeems without nonce or origin, with the right PIN, once', async () => {
      const link = await issueLinkCredential(backend, benefitId, '246810', member);
      assert.equal(decodeCredential(link.credential).payload.cnf, undefined);
      assert.equal(decodeCredential(link.credential).payload.pin, true);
      assert.ok(link.link?.startsWith(`${shop.origin}/redeem#clubpass=`));
      const presentation = await presentCredential({
        credential: link.credential,
        disclose: ['given_name'],
        keyBinding: null,
      });
      const verified = await verify(backend, shop, { presentation });
      assert.equal(verified.status, 200, JSON.stringify(verified.body));
      assert.equal(verified.body.pin_required, true);
      assert.deepEqual(verified.body.disclosed, { given_name: 'Ada' });

      const noPin = await redeem(backend, shop, { presentation });
      assert.equal(noPin.status, 401);
      assert.equal(noPin.body.code, 'pin_required');
      const wrong = await redeem(backend, shop, { presentation, pin: '111111' });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.code, 'pin_invalid');
      const done = await redeem(backend, shop, { presentation, pin: '246810' });
      assert.equal(done.status, 201, JSON.stringify(done.body));
      assert.equal(done.body.credential_id, link.credentialId);
      assert.deepEqual(done.body.disclosed, { given_name: 'Ada' });
      const again = await redeem(backend, shop, { presentation, pin: '246810' });
      assert.equal(again.status, 409);
      assert.equal(again.body.code, 'already_redeemed');
    });

    test('a link credential cannot carry a KB-JWT, and is locked after five wrong PINs too', async () => {
      const link = await issueLinkCredential(backend, benefitId, '13579', member);
      const presentation = await presentCredential({ credential: link.credential, disclose: [], keyBinding: null });
      const withKb = `${presentation}${presentation.split('~')[0]}`;
      const res = await redeem(backend, shop, { presentation: withKb, pin: '13579' });
      assert.equal(res.status, 401);
      assert.equal(res.body.code, 'invalid_key_binding');
      for (let i = 0; i < MAX_PIN_FAILURES; i += 1) {
        assert.equal((await redeem(backend, shop, { presentation, pin: '00000' })).body.code, 'pin_invalid');
      }
      const locked = await redeem(backend, shop, { presentation, pin: '13579' });
      assert.equal(locked.status, 423);
      assert.equal(locked.body.code, 'credential_locked');
    });
  });
}
