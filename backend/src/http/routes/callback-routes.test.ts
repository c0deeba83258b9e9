import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { RECEIPT_TYP, verifyClubJwt } from '@clubpass/shared';
import {
  createAffiliate,
  createAffiliateWithBenefit,
  getNonce,
  idempotencyKey,
  issueHeldCredential,
  presentAs,
  presentTo,
  redeem,
  type TestAffiliate,
  verify,
} from '../../test-support/redemption-fixture.js';
import { signUpMember, type TestMember } from '../../test-support/test-accounts.js';
import { startTestBackend, TEST_ISSUER, TEST_NOW, type TestBackend } from '../../test-support/test-backend.js';
import { testDatabaseKinds } from '../../test-support/test-database.js';

const NOW_SECONDS = Date.parse(TEST_NOW) / 1000;

for (const kind of testDatabaseKinds()) {
  describe(`POST /v1/nonces, /v1/verifications, /v1/redemptions on ${kind}`, () => {
    let backend: TestBackend;
    let shop: TestAffiliate;
    let benefitId: string;
    let adminToken: string;
    let other: TestAffiliate;
    let otherBenefitId: string;
    let member: TestMember;

    before(async () => {
      backend = await startTestBackend(kind);
      ({ affiliate: shop, benefitId, adminToken } = await createAffiliateWithBenefit(backend));
      ({ affiliate: other, benefitId: otherBenefitId } = await createAffiliate(backend, adminToken));
      member = await signUpMember(backend, { address: { locality: 'Berlin', country: 'DE' } });
    });
    after(() => backend.close());
    beforeEach(() => backend.clock.set(TEST_NOW));

    /** A new credential (new holder key) of the one member: signing up is the slow part. */
    const hold = (benefit: string, options: { pin?: string } = {}) =>
      issueHeldCredential(backend, benefit, { member, ...options });
    const countRows = async (table: 'redemptions' | 'billing_lines' | 'idempotency_keys') =>
      (await backend.database.db.selectFrom(table).select('affiliate_id').execute()).length;

    test('no key, an unknown key or a member session token: 401 unauthorized', async () => {
      const member = await signUpMember(backend);
      for (const token of [undefined, 'cpk_not-a-key-of-this-club-000000', member.token, adminToken]) {
        for (const [method, path] of [
          ['POST', '/v1/nonces'],
          ['POST', '/v1/verifications'],
          ['POST', '/v1/redemptions'],
        ] as const) {
          const res = await backend.request(method, path, {
            ...(token ? { token } : {}),
            body: { presentation: 'x~' },
            headers: { 'idempotency-key': idempotencyKey() },
          });
          assert.equal(res.status, 401, `${method} ${path} with ${token?.slice(0, 4)}`);
          assert.equal(res.body.code, 'unauthorized');
          assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
        }
      }
    });

    test('a revoked API key is refused at once (401), the affiliate’s other key keeps working', async () => {
      const made = await backend.request('POST', `/v1/admin/affiliates/${shop.id}/api-keys`, { token: adminToken });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const second = { ...shop, apiKey: made.body.api_key as string };
      assert.equal((await backend.request('POST', '/v1/nonces', { token: second.apiKey })).status, 201);
      const listed = await backend.request('GET', `/v1/admin/affiliates/${shop.id}/api-keys`, { token: adminToken });
      assert.equal(listed.status, 200);
      assert.ok(listed.body.data.some((k: { id: string }) => k.id === made.body.id));
      const revoked = await backend.request('DELETE', `/v1/admin/affiliates/${shop.id}/api-keys/${made.body.id}`, {
        token: adminToken,
      });
      assert.equal(revoked.status, 204);
      const refused = await backend.request('POST', '/v1/nonces', { token: second.apiKey });
      assert.equal(refused.status, 401);
      assert.equal(refused.body.code, 'unauthorized');
      assert.equal((await backend.request('GET', '/v1/redemptions', { token: second.apiKey })).status, 401);
      assert.equal((await backend.request('POST', '/v1/nonces', { token: shop.apiKey })).status, 201);
    });

    test('a redemption without a usable Idempotency-Key: 400 invalid_request, nothing redeemed', async () => {
      const held = await hold(benefitId);
      const body = await presentTo(backend, shop, held);
      const before = await countRows('redemptions');
      const headerSets: Record<string, string>[] = [
        {},
        { 'idempotency-key': '' },
        { 'idempotency-key': 'k'.repeat(256) },
        { 'idempotency-key': 'has spaces in it' },
      ];
      for (const headers of headerSets) {
        const res = await backend.request('POST', '/v1/redemptions', { token: shop.apiKey, body, headers });
        assert.equal(res.status, 400, JSON.stringify(headers).slice(0, 40));
        assert.equal(res.body.code, 'invalid_request');
      }
      assert.equal(await countRows('redemptions'), before);
      assert.equal((await redeem(backend, shop, body)).status, 201, 'the same presentation still redeems');
    });

    test('bad bodies are 400 invalid_request (or 413 / a §5 code), never 5xx', async () => {
      const held = await hold(benefitId);
      const good = await presentTo(backend, shop, held);
      const bodies: unknown[] = [
        {},
        [],
        [good],
        'just a string',
        42,
        null,
        { ...good, presentation: 42 },
        { ...good, presentation: [good.presentation] },
        { ...good, presentation: { jwt: good.presentation } },
        { ...good, presentation: '' },
        { ...good, nonce: 7 },
        { ...good, nonce: ['a'] },
        { ...good, origin: { href: shop.origin } },
        { ...good, nonce: 'n'.repeat(5000) },
        { ...good, origin: 'o'.repeat(5000) },
        { ...good, pin: 1234 },
        { ...good, pin: 'p'.repeat(100) },
        { ...good, order_total: { amount: 1.5, currency: 'EUR' } },
        { ...good, order_total: { amount: 100, currency: 'euro' } },
        { ...good, order_total: { amount: -1, currency: 'EUR' } },
        { ...good, order_ref: 'r'.repeat(5000) },
        { ...good, admin: true },
        { ...good, presentation: '\u0000~\u0000~' },
        { ...good, presentation: '~'.repeat(10_000) },
        { ...good, presentation: `${good.presentation}\u00e9` },
      ];
      for (const body of bodies) {
        for (const res of [await verify(backend, shop, body), await redeem(backend, shop, body)]) {
          const label = JSON.stringify(body).slice(0, 80);
          assert.ok(res.status >= 400 && res.status < 500, `${res.status} for ${label}`);
          assert.equal(typeof res.body.code, 'string', label);
          if (res.status === 400) assert.equal(res.body.code, 'invalid_request', label);
        }
      }
      const notJson = await backend.request('POST', '/v1/verifications', {
        token: shop.apiKey,
        body: '{"presentation":',
      });
      assert.equal(notJson.status, 400);
      assert.equal(notJson.body.code, 'invalid_request');
      const huge = await verify(backend, shop, { ...good, presentation: 'a'.repeat(70 * 1024) });
      assert.equal(huge.status, 413);
      assert.equal(huge.body.code, 'too_large');
      assert.equal((await redeem(backend, shop, good)).status, 201, 'none of that used up the credential');
    });

    test('a nonce: 201, unique, valid five minutes', async () => {
      const first = await backend.request('POST', '/v1/nonces', { token: shop.apiKey });
      const second = await backend.request('POST', '/v1/nonces', { token: shop.apiKey });
      assert.equal(first.status, 201);
      assert.ok(first.body.nonce.length >= 22);
      assert.notEqual(first.body.nonce, second.body.nonce);
      assert.equal(first.body.expires_at, new Date((NOW_SECONDS + 300) * 1000).toISOString().replace('.000Z', 'Z'));
    });

    test('happy path: verification 200, then redemption 201 with a receipt the club signed', async () => {
      const held = await hold(benefitId);
      const body = await presentTo(backend, shop, held);
      const verified = await verify(backend, shop, body);
      assert.equal(verified.status, 200, JSON.stringify(verified.body));
      assert.equal(verified.body.credential_id, held.credentialId);
      assert.equal(verified.body.benefit.id, benefitId);
      assert.equal(typeof verified.body.sub, 'string');
      assert.deepEqual(verified.body.disclosed, { address: { locality: 'Berlin', country: 'DE' } });
      assert.equal(verified.body.pin_required, false);
      assert.match(verified.body.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

      const redemptionsBefore = await countRows('redemptions');
      const redeemed = await redeem(backend, shop, { ...body, order_ref: 'order-1' });
      assert.equal(redeemed.status, 201, JSON.stringify(redeemed.body));
      const r = redeemed.body;
      assert.match(r.id, /^red_/);
      assert.equal(r.credential_id, held.credentialId);
      assert.equal(r.benefit.id, benefitId);
      assert.deepEqual(r.disclosed, { address: { locality: 'Berlin', country: 'DE' } });
      assert.equal(r.billing.amount, 250);
      assert.equal(r.billing.currency, 'EUR');
      assert.equal(typeof r.billing.billing_ref, 'string');
      assert.equal(r.redeemed_at, TEST_NOW.replace('.000Z', 'Z'));

      const receipt = await verifyClubJwt(r.receipt, {
        keys: await backend.keyRing.trusted(),
        typ: RECEIPT_TYP,
        issuer: TEST_ISSUER,
        clock: backend.clock,
      });
      assert.equal(receipt.jti, r.id);
      assert.equal(receipt.aud, shop.id);
      assert.equal(receipt.credential, held.credentialId);
      assert.equal(receipt.benefit, benefitId);
      assert.deepEqual(receipt.amount, { amount: 250, currency: 'EUR' });
      assert.equal(receipt.iat, NOW_SECONDS);

      assert.equal(await countRows('redemptions'), redemptionsBefore + 1);
      const line = await backend.database.db
        .selectFrom('billing_lines')
        .selectAll()
        .where('redemption_id', '=', r.id)
        .executeTakeFirstOrThrow();
      assert.equal(line.status, 'open');
      assert.equal(Number(line.amount), 250);
      const fetched = await backend.request('GET', `/v1/redemptions/${r.id}`, { token: shop.apiKey });
      assert.equal(fetched.status, 200);
      assert.equal(fetched.body.order_ref, 'order-1');
    });

    test('a verification changes nothing: the same nonce then redeems; a wrong PIN is not counted', async () => {
      const held = await hold(benefitId, { pin: '2468' });
      const body = await presentTo(backend, shop, held);
      for (let i = 0; i < 6; i += 1) {
        const res = await verify(backend, shop, body);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.pin_required, true);
      }
      const withPin = await verify(backend, shop, { ...body, pin: '0000' });
      assert.equal(withPin.status, 400, 'a verification takes no PIN');
      assert.equal(withPin.body.code, 'invalid_request');
      const row = await backend.database.db
        .selectFrom('credentials')
        .select(['status', 'pin_failures'])
        .where('id', '=', held.credentialId)
        .executeTakeFirstOrThrow();
      assert.deepEqual({ status: row.status, failures: Number(row.pin_failures) }, { status: 'issued', failures: 0 });
      const nonceRow = await backend.database.db
        .selectFrom('nonces')
        .select('used_at')
        .where('nonce', '=', body.nonce)
        .executeTakeFirstOrThrow();
      assert.equal(nonceRow.used_at, null);
      const redeemed = await redeem(backend, shop, { ...body, pin: '2468' });
      assert.equal(redeemed.status, 201, JSON.stringify(redeemed.body));
    });

    test('idempotency: the same key and body replay the first 201, though the nonce is used and time moved on', async () => {
      const held = await hold(benefitId);
      const body = await presentTo(backend, shop, held);
      const key = idempotencyKey();
      const first = await redeem(backend, shop, body, key);
      assert.equal(first.status, 201);
      const count = await countRows('redemptions');
      backend.clock.advance(3600);
      const again = await redeem(backend, shop, body, key);
      assert.equal(again.status, 201, JSON.stringify(again.body));
      assert.deepEqual(again.body, first.body);
      assert.equal(await countRows('redemptions'), count);
      const otherKey = await redeem(backend, shop, body, idempotencyKey());
      assert.equal(otherKey.status, 401, 'a new key is a new request: its KB-JWT is now too old');
      assert.equal(otherKey.body.code, 'key_binding_expired');
    });

    test('idempotency: the same key with another body is 422 idempotency_mismatch', async () => {
      const held = await hold(benefitId);
      const body = await presentTo(backend, shop, held);
      const key = idempotencyKey();
      assert.equal((await redeem(backend, shop, body, key)).status, 201);
      const changed = await redeem(backend, shop, { ...body, order_ref: 'another' }, key);
      assert.equal(changed.status, 422);
      assert.equal(changed.body.code, 'idempotency_mismatch');
      const unrelated = await hold(benefitId);
      const fresh = await presentTo(backend, shop, unrelated);
      const mismatch = await redeem(backend, shop, fresh, key);
      assert.equal(mismatch.status, 422);
      assert.equal(mismatch.body.code, 'idempotency_mismatch');
      assert.equal((await redeem(backend, shop, fresh)).status, 201, 'the unrelated credential was not touched');
    });

    test('idempotency: the key is looked up before any other check (a wrong PIN under a used key is not counted)', async () => {
      const first = await hold(benefitId);
      const key = idempotencyKey();
      assert.equal((await redeem(backend, shop, await presentTo(backend, shop, first), key)).status, 201);
      const guarded = await hold(benefitId, { pin: '5555' });
      const body = await presentTo(backend, shop, guarded);
      const res = await redeem(backend, shop, { ...body, pin: '0000' }, key);
      assert.equal(res.status, 422);
      assert.equal(res.body.code, 'idempotency_mismatch');
      const row = await backend.database.db
        .selectFrom('credentials')
        .select('pin_failures')
        .where('id', '=', guarded.credentialId)
        .executeTakeFirstOrThrow();
      assert.equal(Number(row.pin_failures), 0);
    });

    test('idempotency keys are per affiliate: another affiliate may use the same key string', async () => {
      const key = idempotencyKey();
      const mine = await hold(benefitId);
      const theirs = await hold(otherBenefitId);
      const a = await redeem(backend, shop, await presentTo(backend, shop, mine), key);
      const b = await redeem(backend, other, await presentTo(backend, other, theirs), key);
      assert.equal(a.status, 201);
      assert.equal(b.status, 201, JSON.stringify(b.body));
      assert.notEqual(a.body.id, b.body.id);
      assert.equal(b.body.credential_id, theirs.credentialId);
    });

    test('one affiliate cannot use another’s credential or nonce', async () => {
      const theirs = await hold(otherBenefitId);
      const stolen = await presentTo(backend, other, theirs);
      for (const res of [
        await verify(backend, shop, { ...stolen, origin: shop.origin }),
        await redeem(backend, shop, { ...stolen, origin: shop.origin }),
      ]) {
        assert.equal(res.status, 403);
        assert.equal(res.body.code, 'wrong_audience');
      }
      const mine = await hold(benefitId);
      const theirNonce = await getNonce(backend, other);
      const body = await presentTo(backend, shop, mine);
      const withTheirNonce = await presentAs(backend, mine, { nonce: theirNonce, origin: shop.origin });
      const res = await redeem(backend, shop, { presentation: withTheirNonce, nonce: theirNonce, origin: shop.origin });
      assert.equal(res.status, 401);
      assert.equal(res.body.code, 'nonce_invalid');
      assert.equal((await redeem(backend, shop, body)).status, 201);
    });
  });
}
