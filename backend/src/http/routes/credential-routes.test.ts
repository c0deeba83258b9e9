import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  DISCLOSABLE_CLAIMS,
  decodeCredential,
  generateKeyPair,
  jwkThumbprint,
  presentCredential,
  verifyPresentation,
} from '@clubpass/shared';
import { exportJWK } from 'jose';
import { verifyPassword } from '../../domain/members/password-hash.js';
import { seedAffiliate, seedBenefit } from '../../test-support/seed-catalog.js';
import { signInAdmin, signUpMember, type TestMember } from '../../test-support/test-accounts.js';
import {
  startTestBackend,
  TEST_ISSUER,
  TEST_NOW,
  TEST_SUBJECT_KEY,
  type TestBackend,
} from '../../test-support/test-backend.js';
import { testDatabaseKinds } from '../../test-support/test-database.js';

const NOW_SECONDS = Date.parse(TEST_NOW) / 1000;
const THIRTY_DAYS = 30 * 24 * 3600;
const ADDRESS = { street_address: '12 St James Square', locality: 'London', postal_code: 'SW1Y 4JH', country: 'GB' };

function expectedSub(memberId: string, affiliateId: string): string {
  return createHmac('sha256', TEST_SUBJECT_KEY).update(`${memberId}\n${affiliateId}`).digest('base64url');
}

for (const kind of testDatabaseKinds()) {
  describe(`POST and GET /v1/credentials on ${kind}`, () => {
    let backend: TestBackend;
    let member: TestMember;
    let affiliateId: string;
    let benefitId: string;

    before(async () => {
      backend = await startTestBackend(kind);
      member = await signUpMember(backend, { phone_number: '+44 20 7946 0000', address: ADDRESS });
      affiliateId = (await seedAffiliate(backend.database.db)).id;
      benefitId = (await seedBenefit(backend.database.db, affiliateId)).id;
    });
    after(() => backend.close());
    beforeEach(() => backend.clock.set(TEST_NOW));

    const issue = (token: string | undefined, body: unknown) =>
      backend.request('POST', '/v1/credentials', { body, ...(token ? { token } : {}) });
    const holderKey = async (alg: 'EdDSA' | 'ES256' = 'EdDSA') => generateKeyPair(alg, { extractable: false });
    const row = (id: string) =>
      backend.database.db.selectFrom('credentials').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    test('without a session: 401 unauthorized', async () => {
      const key = await holderKey();
      for (const res of [
        await issue(undefined, { benefit_id: benefitId, holder_jwk: key.publicJwk }),
        await backend.request('GET', '/v1/credentials'),
        await issue('cps_not-a-real-session-token', { benefit_id: benefitId, holder_jwk: key.publicJwk }),
      ]) {
        assert.equal(res.status, 401);
        assert.equal(res.body.code, 'unauthorized');
      }
    });

    test('a holder key with a private member is refused: 400 invalid_request', async () => {
      for (const alg of ['EdDSA', 'ES256'] as const) {
        const pair = await generateKeyPair(alg, { extractable: true });
        const privateJwk = await exportJWK(pair.privateKey);
        assert.ok(privateJwk.d);
        const res = await issue(member.token, { benefit_id: benefitId, holder_jwk: privateJwk });
        assert.equal(res.status, 400, alg);
        assert.equal(res.body.code, 'invalid_request');
        assert.equal(res.body.errors[0].path, 'holder_jwk');
      }
    });

    test('RSA, symmetric, secp256k1 and malformed holder keys are refused: 400 invalid_request', async () => {
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
      const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ format: 'jwk' });
      const good = (await holderKey()).publicJwk;
      for (const holder_jwk of [
        rsa,
        k1,
        { kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0' },
        { kty: 'OKP', crv: 'X25519', x: good.x },
        { ...good, x: 'AAAA' },
        'not a key',
        null,
      ]) {
        const res = await issue(member.token, { benefit_id: benefitId, holder_jwk });
        assert.equal(res.status, 400, JSON.stringify(holder_jwk));
        assert.equal(res.body.code, 'invalid_request');
      }
    });

    test('bad bodies are 400 invalid_request: no benefit_id, bad PIN, unknown member, link credential without PIN', async () => {
      const key = (await holderKey()).publicJwk;
      const countRows = async () => (await backend.database.db.selectFrom('credentials').select('id').execute()).length;
      const before = await countRows();
      for (const body of [
        { holder_jwk: key },
        { benefit_id: benefitId, holder_jwk: key, pin: '123' },
        { benefit_id: benefitId, holder_jwk: key, pin: '1234567890123' },
        { benefit_id: benefitId, holder_jwk: key, pin: '12a4' },
        { benefit_id: benefitId, holder_jwk: key, pin: '١٢٣٤' },
        { benefit_id: benefitId, holder_jwk: key, pin: 1234 },
        { benefit_id: benefitId, holder_jwk: key, admin: true },
        { benefit_id: benefitId },
      ]) {
        const res = await issue(member.token, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.code, 'invalid_request');
      }
      const linkWithoutPin = await issue(member.token, { benefit_id: benefitId });
      assert.deepEqual(
        linkWithoutPin.body.errors.map((e: { path: string }) => e.path),
        ['pin'],
      );
      assert.equal(await countRows(), before, 'a refused request mints nothing');
    });

    test('issues a holder-bound credential that verifies, with the claims of §3 and the profile as disclosures', async () => {
      const holder = await holderKey();
      const res = await issue(member.token, { benefit_id: benefitId, holder_jwk: holder.publicJwk });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.match(res.body.id, /^crd_[A-Za-z0-9_-]{22}$/);
      assert.equal(res.body.expires_at, new Date((NOW_SECONDS + THIRTY_DAYS) * 1000).toISOString().replace('.000', ''));
      assert.deepEqual(res.body.benefit, {
        id: benefitId,
        kind: 'product_discount',
        title: '10 % off everything',
        terms: { percent_off: 10 },
      });
      assert.equal('link' in res.body, false, 'only link credentials carry a link');
      assert.equal(res.headers.get('cache-control'), 'no-store');

      const presentation = await presentCredential({
        credential: res.body.credential,
        disclose: DISCLOSABLE_CLAIMS,
        keyBinding: { holder, origin: 'https://shop.example', nonce: 'nonce-1234567890', clock: backend.clock },
      });
      const verified = await verifyPresentation(presentation, {
        keys: await backend.keyRing.trusted(),
        issuer: TEST_ISSUER,
        audience: affiliateId,
        origin: 'https://shop.example',
        nonce: 'nonce-1234567890',
        clock: backend.clock,
      });
      const { claims } = verified;
      assert.equal(claims.iss, TEST_ISSUER);
      assert.equal(claims.aud, affiliateId);
      assert.equal(claims.sub, expectedSub(member.id, affiliateId));
      assert.notEqual(claims.sub, member.id);
      assert.match(claims.jti, /^[A-Za-z0-9_-]{22,}$/);
      assert.equal(claims.iat, NOW_SECONDS);
      assert.equal(claims.exp, NOW_SECONDS + THIRTY_DAYS);
      assert.equal(claims.vct, 'urn:clubpass:benefit:1');
      assert.match(claims.billing_ref, /^BR-[0-9A-HJKMNP-TV-Z]{16}$/);
      assert.equal(claims.pin, undefined);
      assert.deepEqual(verified.cnf, {
        jwk: { kty: 'OKP', crv: 'Ed25519', x: holder.publicJwk.x },
      });
      assert.equal(verified.kid, (await backend.keyRing.current()).kid);
      assert.deepEqual(verified.disclosed, {
        membership_number: member.membershipNumber,
        given_name: 'Ada',
        family_name: 'Lovelace',
        email: member.email,
        phone_number: '+44 20 7946 0000',
        address: ADDRESS,
      });

      const stored = await row(res.body.id);
      assert.equal(stored.member_id, member.id);
      assert.equal(stored.benefit_id, benefitId);
      assert.equal(stored.affiliate_id, affiliateId);
      assert.equal(stored.jti, claims.jti);
      assert.equal(stored.holder_thumbprint, await jwkThumbprint(verified.cnf?.jwk ?? {}));
      assert.equal(stored.kid, verified.kid);
      assert.equal(stored.sub, claims.sub);
      assert.equal(stored.billing_ref, claims.billing_ref);
      assert.equal(stored.credential, res.body.credential);
      assert.equal(stored.pin_hash, null);
      assert.equal(stored.status, 'issued');
      assert.equal(stored.issued_at, TEST_NOW);
      assert.equal(stored.expires_at, new Date((NOW_SECONDS + THIRTY_DAYS) * 1000).toISOString());
    });

    test('a P-256 holder key works too, and details the profile lacks are not disclosed', async () => {
      const plain = await signUpMember(backend);
      const holder = await holderKey('ES256');
      const res = await issue(plain.token, { benefit_id: benefitId, holder_jwk: holder.publicJwk });
      assert.equal(res.status, 201);
      const decoded = decodeCredential(res.body.credential);
      assert.deepEqual(decoded.disclosures.map((d) => d.name).sort(), [
        'email',
        'family_name',
        'given_name',
        'membership_number',
      ]);
      assert.deepEqual(decoded.payload.cnf, {
        jwk: { kty: 'EC', crv: 'P-256', x: holder.publicJwk.x, y: holder.publicJwk.y },
      });
    });

    test('exp never passes the benefit valid_until', async () => {
      const validUntil = new Date((NOW_SECONDS + 3600) * 1000 + 500).toISOString();
      const capped = await seedBenefit(backend.database.db, affiliateId, { validUntil });
      const res = await issue(member.token, { benefit_id: capped.id, holder_jwk: (await holderKey()).publicJwk });
      assert.equal(res.status, 201);
      assert.equal(decodeCredential(res.body.credential).payload.exp, NOW_SECONDS + 3600);
      assert.equal(res.body.expires_at, new Date((NOW_SECONDS + 3600) * 1000).toISOString().replace('.000', ''));
      const short = await seedBenefit(backend.database.db, affiliateId, { credentialTtlSeconds: 600, validUntil });
      const res2 = await issue(member.token, { benefit_id: short.id, holder_jwk: (await holderKey()).publicJwk });
      assert.equal(decodeCredential(res2.body.credential).payload.exp, NOW_SECONDS + 600);
    });

    test('sub is stable for a member at an affiliate and differs across affiliates and members', async () => {
      const other = await seedAffiliate(backend.database.db, {
        name: 'Other Shop',
        origins: ['https://other.example'],
      });
      const sameAffiliate = await seedBenefit(backend.database.db, affiliateId);
      const otherAffiliate = await seedBenefit(backend.database.db, other.id);
      const second = await signUpMember(backend);
      const subOf = async (token: string, id: string) => {
        const res = await issue(token, { benefit_id: id, holder_jwk: (await holderKey()).publicJwk });
        assert.equal(res.status, 201);
        return decodeCredential(res.body.credential).payload.sub;
      };
      const a1 = await subOf(member.token, benefitId);
      assert.equal(await subOf(member.token, sameAffiliate.id), a1);
      assert.notEqual(await subOf(member.token, otherAffiliate.id), a1);
      assert.notEqual(await subOf(second.token, benefitId), a1);
      assert.equal(await subOf(second.token, otherAffiliate.id), expectedSub(second.id, other.id));
    });

    test('a PIN is kept only as a slow hash and marks the credential pin: true', async () => {
      const res = await issue(member.token, {
        benefit_id: benefitId,
        holder_jwk: (await holderKey()).publicJwk,
        pin: '482915',
      });
      assert.equal(res.status, 201);
      assert.equal(decodeCredential(res.body.credential).payload.pin, true);
      const stored = await row(res.body.id);
      assert.ok(stored.pin_hash);
      assert.equal(stored.pin_hash.includes('482915'), false);
      assert.match(stored.pin_hash, /^scrypt\$/);
      assert.equal(await verifyPassword('482915', stored.pin_hash), true);
      assert.equal(await verifyPassword('482916', stored.pin_hash), false);
    });

    test('a link credential has no cnf, pin: true, a PIN hash, and a link into the affiliate site', async () => {
      const res = await issue(member.token, { benefit_id: benefitId, pin: '7391' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.link, `https://shop.example/clubpass/redeem#clubpass=${res.body.credential}`);
      const payload = decodeCredential(res.body.credential).payload;
      assert.equal(payload.cnf, undefined);
      assert.equal(payload.pin, true);
      const presentation = await presentCredential({
        credential: res.body.credential,
        disclose: ['membership_number'],
        keyBinding: null,
      });
      const verified = await verifyPresentation(presentation, {
        keys: await backend.keyRing.trusted(),
        issuer: TEST_ISSUER,
        audience: affiliateId,
        origin: null,
        nonce: null,
        clock: backend.clock,
      });
      assert.equal(verified.cnf, null);
      assert.deepEqual(verified.disclosed, { membership_number: member.membershipNumber });
      const stored = await row(res.body.id);
      assert.equal(stored.holder_thumbprint, null);
      assert.ok(stored.pin_hash && stored.pin_hash !== '7391');
      assert.equal(await verifyPassword('7391', stored.pin_hash), true);
    });

    test('a link credential at an affiliate without redeem_url is issued with link: null (for a QR code)', async () => {
      const counterOnly = await seedAffiliate(backend.database.db, { redeemUrl: null });
      const benefit = await seedBenefit(backend.database.db, counterOnly.id);
      const res = await issue(member.token, { benefit_id: benefit.id, pin: '7391' });
      assert.equal(res.status, 201);
      assert.equal(res.body.link, null);
    });

    test('unknown, withdrawn, not yet valid and ended benefits are 404 not_found', async () => {
      const db = backend.database.db;
      const ids = [
        'ben_doesnotexist',
        (await seedBenefit(db, affiliateId, { active: false })).id,
        (await seedBenefit(db, affiliateId, { validFrom: new Date((NOW_SECONDS + 60) * 1000).toISOString() })).id,
        (await seedBenefit(db, affiliateId, { validUntil: TEST_NOW })).id,
        (await seedBenefit(db, affiliateId, { validUntil: '2026-01-01T00:00:00.000Z' })).id,
      ];
      const key = (await holderKey()).publicJwk;
      for (const id of ids) {
        const res = await issue(member.token, { benefit_id: id, holder_jwk: key });
        assert.equal(res.status, 404, id);
        assert.equal(res.body.code, 'not_found');
      }
      const started = await seedBenefit(db, affiliateId, { validFrom: TEST_NOW });
      assert.equal((await issue(member.token, { benefit_id: started.id, holder_jwk: key })).status, 201);
    });

    test('an admin session may not issue or list member credentials: 403 forbidden', async () => {
      const admin = await signInAdmin(backend);
      const res = await issue(admin, { benefit_id: benefitId, holder_jwk: (await holderKey()).publicJwk });
      assert.equal(res.status, 403);
      assert.equal(res.body.code, 'forbidden');
      const list = await backend.request('GET', '/v1/credentials', { token: admin });
      assert.equal(list.status, 403);
    });

    test('GET lists only the caller’s own credentials, newest first, with their status', async () => {
      const db = backend.database.db;
      const alice = await signUpMember(backend);
      const bob = await signUpMember(backend);
      const shortLived = await seedBenefit(db, affiliateId, { credentialTtlSeconds: 60, title: 'Short' });
      const ids: string[] = [];
      for (const [i, benefit] of [benefitId, benefitId, benefitId, benefitId, shortLived.id].entries()) {
        backend.clock.set(new Date(Date.parse(TEST_NOW) + i * 1000));
        const res = await issue(alice.token, { benefit_id: benefit, holder_jwk: (await holderKey()).publicJwk });
        assert.equal(res.status, 201);
        ids.push(res.body.id);
      }
      const bobs = await issue(bob.token, { benefit_id: benefitId, holder_jwk: (await holderKey()).publicJwk });
      const at = new Date(Date.parse(TEST_NOW) + 10_000).toISOString();
      await db
        .updateTable('credentials')
        .set({ status: 'redeemed', redeemed_at: at })
        .where('id', '=', ids[0]!)
        .execute();
      await db
        .updateTable('credentials')
        .set({ status: 'revoked', revoked_at: at })
        .where('id', '=', ids[1]!)
        .execute();
      await db.updateTable('credentials').set({ status: 'locked' }).where('id', '=', ids[2]!).execute();
      backend.clock.set(new Date(Date.parse(TEST_NOW) + 120_000));

      const first = await backend.request('GET', '/v1/credentials?limit=3', { token: alice.token });
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('cache-control'), 'no-store');
      assert.equal(first.body.data.length, 3);
      assert.ok(first.body.next_cursor);
      const second = await backend.request('GET', `/v1/credentials?limit=3&cursor=${first.body.next_cursor}`, {
        token: alice.token,
      });
      assert.equal(second.body.next_cursor, null);
      const all: { id: string; status: string }[] = [...first.body.data, ...second.body.data];
      assert.deepEqual(
        all.map((c) => c.id),
        [...ids].reverse(),
      );
      assert.equal(
        all.some((c) => c.id === bobs.body.id),
        false,
        'another member’s credential',
      );
      const statusOf = (id: string | undefined) => all.find((c) => c.id === id)?.status;
      assert.deepEqual(
        all.find((c) => c.id === ids[0]),
        {
          id: ids[0],
          benefit: {
            id: benefitId,
            kind: 'product_discount',
            title: '10 % off everything',
            terms: { percent_off: 10 },
          },
          affiliate: { id: affiliateId, name: 'Example Shop' },
          status: 'redeemed',
          expires_at: new Date((NOW_SECONDS + THIRTY_DAYS) * 1000).toISOString().replace('.000', ''),
          redeemed_at: at.replace('.000', ''),
        },
      );
      assert.equal(statusOf(ids[1]), 'revoked');
      assert.equal(statusOf(ids[2]), 'revoked', 'a locked credential can never be used again');
      assert.equal(statusOf(ids[3]), 'issued');
      assert.equal(statusOf(ids[4]), 'expired');

      const bobList = await backend.request('GET', '/v1/credentials', { token: bob.token });
      assert.deepEqual(
        bobList.body.data.map((c: { id: string }) => c.id),
        [bobs.body.id],
      );
      const bad = await backend.request('GET', '/v1/credentials?cursor=nonsense!', { token: alice.token });
      assert.equal(bad.status, 400);
    });
  });
}
