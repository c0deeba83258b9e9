// Idempotency and limits of credential issuance, through the real app on real databases: these
// are the guarantees that must hold when many requests arrive at once.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { generateKeyPair } from '@clubpass/shared';
import type { JWK } from 'jose';
import { seedAffiliate, seedBenefit } from '../../test-support/seed-catalog.js';
import { signUpMember, type TestMember } from '../../test-support/test-accounts.js';
import { startTestBackend, TEST_NOW, type TestBackend } from '../../test-support/test-backend.js';
import { testDatabaseKinds } from '../../test-support/test-database.js';
import { verifyPassword } from '../members/password-hash.js';

const PARALLEL = 50;
const LIMIT = 10;

for (const kind of testDatabaseKinds()) {
  describe(`credential issuance idempotency and limits on ${kind}`, () => {
    let backend: TestBackend;
    let member: TestMember;
    let affiliateId: string;

    before(async () => {
      backend = await startTestBackend(kind);
      member = await signUpMember(backend);
      affiliateId = (await seedAffiliate(backend.database.db)).id;
    });
    after(() => backend.close());
    beforeEach(() => backend.clock.set(TEST_NOW));

    const newKey = async (): Promise<JWK> => (await generateKeyPair('EdDSA', { extractable: false })).publicJwk;
    const issue = (token: string, body: Record<string, unknown>) =>
      backend.request('POST', '/v1/credentials', { token, body });
    const minted = async (benefitId: string) => {
      const rows = await backend.database.db
        .selectFrom('credentials')
        .select('id')
        .where('benefit_id', '=', benefitId)
        .execute();
      const benefit = await backend.database.db
        .selectFrom('benefits')
        .select('issued_count')
        .where('id', '=', benefitId)
        .executeTakeFirstOrThrow();
      return { rows: rows.length, issuedCount: Number(benefit.issued_count) };
    };
    const tally = (statuses: number[]) =>
      statuses.reduce<Record<number, number>>((acc, s) => {
        acc[s] = (acc[s] ?? 0) + 1;
        return acc;
      }, {});

    test('the same member, benefit and holder key get the same credential back with 200, and nothing is minted', async () => {
      const benefit = await seedBenefit(backend.database.db, affiliateId);
      const key = await newKey();
      const first = await issue(member.token, { benefit_id: benefit.id, holder_jwk: key });
      assert.equal(first.status, 201);
      const again = await issue(member.token, { benefit_id: benefit.id, holder_jwk: { ...key, kid: 'ignored' } });
      assert.equal(again.status, 200);
      assert.deepEqual(again.body, first.body);
      assert.deepEqual(await minted(benefit.id), { rows: 1, issuedCount: 1 });
      const otherKey = await issue(member.token, { benefit_id: benefit.id, holder_jwk: await newKey() });
      assert.equal(otherKey.status, 201);
      assert.notEqual(otherKey.body.id, first.body.id);
    });

    test('a replay matches whether a PIN was set, never the PIN value itself', async () => {
      const benefit = await seedBenefit(backend.database.db, affiliateId);
      const key = await newKey();
      const plain = await issue(member.token, { benefit_id: benefit.id, holder_jwk: key });
      const pinned = await issue(member.token, { benefit_id: benefit.id, holder_jwk: key, pin: '2468' });
      assert.equal(pinned.status, 201, 'a PIN-less credential never answers a request that sets a PIN');
      assert.notEqual(pinned.body.id, plain.body.id);
      const samePin = await issue(member.token, { benefit_id: benefit.id, holder_jwk: key, pin: '2468' });
      assert.equal(samePin.status, 200);
      assert.equal(samePin.body.id, pinned.body.id);
      // The answer must not depend on the PIN, or it would be a PIN oracle without §7's lockout.
      const otherPin = await issue(member.token, { benefit_id: benefit.id, holder_jwk: key, pin: '1357' });
      assert.equal(otherPin.status, 200);
      assert.deepEqual(otherPin.body, samePin.body);
      const stored = await backend.database.db
        .selectFrom('credentials')
        .select('pin_hash')
        .where('id', '=', pinned.body.id)
        .executeTakeFirstOrThrow();
      assert.equal(await verifyPassword('2468', stored.pin_hash ?? ''), true, 'the first PIN stays');
      const noPin = await issue(member.token, { benefit_id: benefit.id, holder_jwk: key });
      assert.equal(noPin.status, 200);
      assert.equal(noPin.body.id, plain.body.id);
    });

    test('a link credential is never handed out again, not even to the same PIN', async () => {
      const benefit = await seedBenefit(backend.database.db, affiliateId);
      const link = await issue(member.token, { benefit_id: benefit.id, pin: '9999' });
      assert.equal(link.status, 201);
      const again = await issue(member.token, { benefit_id: benefit.id, pin: '9999' });
      assert.equal(again.status, 201);
      assert.notEqual(again.body.id, link.body.id);
      assert.notEqual(again.body.credential, link.body.credential);
      assert.deepEqual(await minted(benefit.id), { rows: 2, issuedCount: 2 });
    });

    test('expired, redeemed and revoked credentials are not handed out again', async () => {
      const db = backend.database.db;
      const benefit = await seedBenefit(db, affiliateId, { credentialTtlSeconds: 60 });
      const key = await newKey();
      const first = await issue(member.token, { benefit_id: benefit.id, holder_jwk: key });
      backend.clock.advance(60);
      const afterExpiry = await issue(member.token, { benefit_id: benefit.id, holder_jwk: key });
      assert.equal(afterExpiry.status, 201);
      assert.notEqual(afterExpiry.body.id, first.body.id);
      await db.updateTable('credentials').set({ status: 'redeemed' }).where('id', '=', afterExpiry.body.id).execute();
      const afterRedemption = await issue(member.token, { benefit_id: benefit.id, holder_jwk: key });
      assert.equal(afterRedemption.status, 201);
      await db
        .updateTable('credentials')
        .set({ status: 'revoked' })
        .where('id', '=', afterRedemption.body.id)
        .execute();
      const afterRevocation = await issue(member.token, { benefit_id: benefit.id, holder_jwk: key });
      assert.equal(afterRevocation.status, 201);
      assert.equal(new Set([first, afterExpiry, afterRedemption, afterRevocation].map((r) => r.body.id)).size, 4);
    });

    test('per_member_limit counts every credential the member got; replays still answer at the limit', async () => {
      const benefit = await seedBenefit(backend.database.db, affiliateId, { perMemberLimit: 2 });
      const key = await newKey();
      assert.equal((await issue(member.token, { benefit_id: benefit.id, holder_jwk: key })).status, 201);
      assert.equal((await issue(member.token, { benefit_id: benefit.id, holder_jwk: await newKey() })).status, 201);
      const third = await issue(member.token, { benefit_id: benefit.id, holder_jwk: await newKey() });
      assert.equal(third.status, 409);
      assert.equal(third.body.code, 'limit_reached');
      assert.equal((await issue(member.token, { benefit_id: benefit.id, holder_jwk: key })).status, 200);
      const other = await signUpMember(backend);
      assert.equal((await issue(other.token, { benefit_id: benefit.id, holder_jwk: await newKey() })).status, 201);
      assert.deepEqual(await minted(benefit.id), { rows: 3, issuedCount: 3 });
    });

    test('total_limit caps the credentials minted for a benefit across members', async () => {
      const benefit = await seedBenefit(backend.database.db, affiliateId, { totalLimit: 1 });
      const key = await newKey();
      assert.equal((await issue(member.token, { benefit_id: benefit.id, holder_jwk: key })).status, 201);
      const other = await signUpMember(backend);
      const refused = await issue(other.token, { benefit_id: benefit.id, holder_jwk: await newKey() });
      assert.equal(refused.status, 409);
      assert.equal(refused.body.code, 'limit_reached');
      assert.equal((await issue(member.token, { benefit_id: benefit.id, holder_jwk: key })).status, 200);
      assert.deepEqual(await minted(benefit.id), { rows: 1, issuedCount: 1 });
    });

    test(`per_member_limit holds under ${PARALLEL} parallel requests: exactly ${LIMIT} minted`, async () => {
      const benefit = await seedBenefit(backend.database.db, affiliateId, { perMemberLimit: LIMIT });
      const racer = await signUpMember(backend);
      const keys = await Promise.all(Array.from({ length: PARALLEL }, newKey));
      const results = await Promise.all(
        keys.map((key) => issue(racer.token, { benefit_id: benefit.id, holder_jwk: key })),
      );
      assert.deepEqual(tally(results.map((r) => r.status)), { 201: LIMIT, 409: PARALLEL - LIMIT });
      for (const r of results.filter((r) => r.status === 409)) assert.equal(r.body.code, 'limit_reached');
      assert.deepEqual(await minted(benefit.id), { rows: LIMIT, issuedCount: LIMIT });
    });

    test(`total_limit holds under ${PARALLEL} parallel requests from different members: exactly ${LIMIT} minted`, async () => {
      const benefit = await seedBenefit(backend.database.db, affiliateId, { totalLimit: LIMIT });
      const racers = await Promise.all(Array.from({ length: PARALLEL }, () => signUpMember(backend)));
      const keys = await Promise.all(Array.from({ length: PARALLEL }, newKey));
      const results = await Promise.all(
        racers.map((racer, i) => issue(racer.token, { benefit_id: benefit.id, holder_jwk: keys[i] })),
      );
      assert.deepEqual(tally(results.map((r) => r.status)), { 201: LIMIT, 409: PARALLEL - LIMIT });
      for (const r of results.filter((r) => r.status === 409)) assert.equal(r.body.code, 'limit_reached');
      assert.deepEqual(await minted(benefit.id), { rows: LIMIT, issuedCount: LIMIT });
    });

    test('parallel identical requests mint one credential and replay it to the others', async () => {
      const benefit = await seedBenefit(backend.database.db, affiliateId);
      const key = await newKey();
      const results = await Promise.all(
        Array.from({ length: 20 }, () => issue(member.token, { benefit_id: benefit.id, holder_jwk: key })),
      );
      assert.deepEqual(tally(results.map((r) => r.status)), { 200: 19, 201: 1 });
      assert.equal(new Set(results.map((r) => r.body.id)).size, 1);
      assert.deepEqual(await minted(benefit.id), { rows: 1, issuedCount: 1 });
    });
  });
}
