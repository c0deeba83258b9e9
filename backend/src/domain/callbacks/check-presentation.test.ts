import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { decodeCredential, generateKeyPair } from '@clubpass/shared';
import {
  createAffiliate,
  createAffiliateWithBenefit,
  encodeJsonSegment,
  getNonce,
  type HeldCredential,
  issueHeldCredential,
  presentAs,
  presentTo,
  redeem,
  resignCredential,
  type TestAffiliate,
  verify,
} from '../../test-support/redemption-fixture.js';
import { signUpMember, type TestMember } from '../../test-support/test-accounts.js';
import { startTestBackend, TEST_NOW, type TestBackend } from '../../test-support/test-backend.js';
import { testDatabaseKinds } from '../../test-support/test-database.js';

// Every rule of PROTOCOL.md §5 reached over HTTP, through both /v1/verifications and
// /v1/redemptions, plus the precedence of neighbouring rules. PIN and replay: redeem-credential.test.ts.

const NOW_SECONDS = Date.parse(TEST_NOW) / 1000;

/** Replaces the issuer JWT's header or signature of a presentation, keeping everything else. */
function withIssuerJwt(presentation: string, change: { header?: unknown; signature?: string }): string {
  const [jwt, ...rest] = presentation.split('~');
  const [header, payload, signature] = (jwt as string).split('.');
  const newHeader = change.header === undefined ? header : encodeJsonSegment(change.header);
  return [`${newHeader}.${payload}.${change.signature ?? signature}`, ...rest].join('~');
}

for (const kind of testDatabaseKinds()) {
  describe(`§5 verification rules over HTTP on ${kind}`, () => {
    let backend: TestBackend;
    let shop: TestAffiliate;
    let benefitId: string;
    let adminToken: string;
    let other: TestAffiliate;
    let otherBenefitId: string;
    let held: HeldCredential;

    let member: TestMember;

    before(async () => {
      backend = await startTestBackend(kind);
      member = await signUpMember(backend, { address: { locality: 'Berlin', country: 'DE' } });
      ({
        affiliate: shop,
        benefitId,
        adminToken,
      } = await createAffiliateWithBenefit(backend, {
        credential_ttl_seconds: 3600,
      }));
      ({ affiliate: other, benefitId: otherBenefitId } = await createAffiliate(backend, adminToken));
      held = await issueHeldCredential(backend, benefitId, { member });
    });
    after(() => backend.close());
    beforeEach(() => backend.clock.set(TEST_NOW));

    /** Both endpoints refuse `body` with `status` and `code`, and nothing is redeemed. */
    async function rejects(
      body: unknown,
      status: number,
      code: string,
      affiliate: TestAffiliate = shop,
    ): Promise<void> {
      const verification = await verify(backend, affiliate, body);
      assert.equal(verification.status, status, `verification: ${JSON.stringify(verification.body)}`);
      assert.equal(verification.body.code, code, 'verification');
      const redemption = await redeem(backend, affiliate, body);
      assert.equal(redemption.status, status, `redemption: ${JSON.stringify(redemption.body)}`);
      assert.equal(redemption.body.code, code, 'redemption');
    }

    const fresh = () => presentTo(backend, shop, held);

    test('rule 1: a presentation over 16 KiB is 413 too_large, before any parsing', async () => {
      const good = await fresh();
      const [jwt] = good.presentation.split('~');
      await rejects({ ...good, presentation: `${jwt}~${'A'.repeat(17 * 1024)}~` }, 413, 'too_large');
      await rejects({ ...good, presentation: '!'.repeat(16 * 1024 + 1) }, 413, 'too_large');
      await rejects(
        { ...good, presentation: `${good.presentation.slice(0, -10)}${'é'.repeat(8200)}` },
        413,
        'too_large',
      );
    });

    test('rule 2: malformed presentations are 401 malformed_credential', async () => {
      const good = await fresh();
      const [jwt, disclosure, kb] = good.presentation.split('~') as [string, string, string];
      const [h, p, s] = jwt.split('.') as [string, string, string];
      for (const presentation of [
        'not a presentation',
        `${jwt}`,
        `${h}.${p}~`,
        `${h}.${p}.${s}.x~`,
        `${h}=.${p}.${s}~`,
        `${h}.${p}.${s}+/~`,
        `${h} .${p}.${s}~`,
        `${encodeJsonSegment([1, 2])}.${p}.${s}~`,
        `${h}.${encodeJsonSegment('a string')}.${s}~`,
        `${jwt}~~${kb}`,
        `${jwt}~${disclosure}=~${kb}`,
        `${jwt}~${disclosure}~not.a-kb`,
        withIssuerJwt(good.presentation, { header: { alg: 'EdDSA', typ: 'dc+sd-jwt', kid: 'k', crit: ['exp'] } }),
      ]) {
        await rejects({ ...good, presentation }, 401, 'malformed_credential');
      }
    });

    test('rule 3: alg none, HS256 or RS256 is unsupported_algorithm; a wrong typ is invalid_type', async () => {
      const good = await fresh();
      const { kid } = decodeCredential(held.credential).header as { kid: string };
      for (const alg of ['none', 'HS256', 'RS256', 'ES384', 'eddsa']) {
        const presentation = withIssuerJwt(good.presentation, { header: { alg, typ: 'dc+sd-jwt', kid } });
        await rejects({ ...good, presentation }, 401, 'unsupported_algorithm');
      }
      const noneUnknownKid = withIssuerJwt(good.presentation, { header: { alg: 'none', typ: 'dc+sd-jwt' } });
      await rejects({ ...good, presentation: noneUnknownKid }, 401, 'unsupported_algorithm');
      const jwtTyp = withIssuerJwt(good.presentation, { header: { alg: 'EdDSA', typ: 'JWT', kid } });
      await rejects({ ...good, presentation: jwtTyp }, 401, 'invalid_type');
      const resigned = await resignCredential(backend, held.credential, { typ: 'vc+sd-jwt' });
      const nonce = await getNonce(backend, shop);
      const presentation = await presentAs(backend, { ...held, credential: resigned }, { nonce, origin: shop.origin });
      await rejects({ presentation, nonce, origin: shop.origin }, 401, 'invalid_type');
    });

    test('rules 4-5: an unknown kid is unknown_key; a tampered credential is invalid_signature', async () => {
      const good = await fresh();
      const unknown = withIssuerJwt(good.presentation, { header: { alg: 'EdDSA', typ: 'dc+sd-jwt', kid: 'nope' } });
      await rejects({ ...good, presentation: unknown }, 401, 'unknown_key');
      const another = await issueHeldCredential(backend, benefitId, { member });
      const foreignSignature = (another.credential.split('~')[0] as string).split('.')[2] as string;
      const swapped = withIssuerJwt(good.presentation, { signature: foreignSignature });
      await rejects({ ...good, presentation: swapped }, 401, 'invalid_signature');
      const [jwt, ...rest] = good.presentation.split('~');
      const [h, p, s] = (jwt as string).split('.') as [string, string, string];
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
      const richer = encodeJsonSegment({ ...payload, benefit: { ...payload.benefit, title: '100 % off' } });
      await rejects({ ...good, presentation: [`${h}.${richer}.${s}`, ...rest].join('~') }, 401, 'invalid_signature');
      await rejects({ ...good, presentation: [`${h}.${p}.`, ...rest].join('~') }, 401, 'invalid_signature');
    });

    test('rules 6-9: wrong issuer, wrong vct, wrong audience, not yet valid, bad claims (club-signed)', async () => {
      const cases: [Record<string, unknown>, number, string][] = [
        [{ iss: 'https://evil.test' }, 401, 'wrong_issuer'],
        [{ iss: 'https://evil.test', exp: NOW_SECONDS - 3600 }, 401, 'wrong_issuer'],
        [{ vct: 'urn:other:1' }, 401, 'invalid_type'],
        [{ aud: other.id }, 403, 'wrong_audience'],
        [{ aud: other.id, exp: NOW_SECONDS - 3600 }, 403, 'wrong_audience'],
        [{ exp: undefined }, 401, 'invalid_claims'],
        [{ exp: '2027-01-01' }, 401, 'invalid_claims'],
        [{ nbf: NOW_SECONDS + 61 }, 401, 'credential_not_yet_valid'],
        [{ iat: NOW_SECONDS + 61 }, 401, 'invalid_claims'],
        [{ billing_ref: undefined }, 401, 'invalid_claims'],
        [{ benefit: { id: benefitId } }, 401, 'invalid_claims'],
        [{ jti: 'short' }, 401, 'invalid_claims'],
      ];
      for (const [claims, status, code] of cases) {
        const credential = await resignCredential(backend, held.credential, { claims });
        const nonce = await getNonce(backend, shop);
        const presentation = await presentAs(backend, { ...held, credential }, { nonce, origin: shop.origin });
        await rejects({ presentation, nonce, origin: shop.origin }, status, code);
      }
    });

    test('rule 7: a credential for another affiliate is 403 wrong_audience', async () => {
      const theirs = await issueHeldCredential(backend, otherBenefitId, { member });
      const nonce = await getNonce(backend, shop);
      const presentation = await presentAs(backend, theirs, { nonce, origin: shop.origin });
      await rejects({ presentation, nonce, origin: shop.origin }, 403, 'wrong_audience');
    });

    test('rule 8: expired once exp + 60 s has passed; valid just before', async () => {
      const exp = decodeCredential(held.credential).payload.exp as number;
      backend.clock.set(new Date((exp + 59) * 1000));
      assert.equal((await verify(backend, shop, await fresh())).status, 200, 'within the 60 s of skew');
      backend.clock.set(new Date((exp + 60) * 1000));
      await rejects(await fresh(), 401, 'credential_expired');
      backend.clock.advance(86_400);
      await rejects(await fresh(), 401, 'credential_expired');
    });

    test('rule 10: duplicated or unreferenced disclosures are invalid_disclosure (before rules 11-12)', async () => {
      const good = await fresh();
      const [jwt, disclosure, kb] = good.presentation.split('~') as [string, string, string];
      const salt = Buffer.alloc(16, 1).toString('base64url');
      const shortSalt = Buffer.alloc(8, 1).toString('base64url');
      for (const presentation of [
        `${jwt}~${disclosure}~${disclosure}~${kb}`,
        `${jwt}~${disclosure}~${disclosure}~`,
        `${jwt}~${encodeJsonSegment([salt, 'email', 'mallory@example.org'])}~${kb}`,
        `${jwt}~${encodeJsonSegment([salt, 'email'])}~${kb}`,
        `${jwt}~${encodeJsonSegment([shortSalt, 'email', 'x'])}~${kb}`,
        `${jwt}~${encodeJsonSegment([salt, 'aud', shop.id])}~${kb}`,
        `${jwt}~${encodeJsonSegment({ salt, name: 'email' })}~${kb}`,
      ]) {
        await rejects({ ...good, presentation }, 401, 'invalid_disclosure');
      }
    });

    test('rule 11: a holder-bound credential without its KB-JWT is holder_binding_required', async () => {
      const good = await fresh();
      const stripped = good.presentation.slice(0, good.presentation.lastIndexOf('~') + 1);
      await rejects({ ...good, presentation: stripped }, 401, 'holder_binding_required');
      await rejects({ presentation: stripped }, 401, 'holder_binding_required');
      await rejects({ presentation: held.credential }, 401, 'holder_binding_required');
    });

    test('rule 12: a KB-JWT by another key, with a wrong sd_hash or typ is invalid_key_binding', async () => {
      const nonce = await getNonce(backend, shop);
      const stranger = await generateKeyPair('EdDSA', { extractable: false });
      const byStranger = await presentAs(backend, held, { nonce, origin: shop.origin, holder: stranger });
      await rejects({ presentation: byStranger, nonce, origin: shop.origin }, 401, 'invalid_key_binding');
      const good = await presentAs(backend, held, { nonce, origin: shop.origin }, ['address']);
      const [jwt, , kb] = good.split('~') as [string, string, string];
      await rejects({ presentation: `${jwt}~${kb}`, nonce, origin: shop.origin }, 401, 'invalid_key_binding');
      const [kbHeader, kbPayload, kbSignature] = kb.split('.') as [string, string, string];
      assert.ok(kbHeader);
      const wrongTyp = `${encodeJsonSegment({ alg: 'EdDSA', typ: 'JWT' })}.${kbPayload}.${kbSignature}`;
      const withWrongTyp = `${good.slice(0, good.lastIndexOf('~') + 1)}${wrongTyp}`;
      await rejects({ presentation: withWrongTyp, nonce, origin: shop.origin }, 401, 'invalid_key_binding');
    });

    test('rule 12: origin_mismatch for an unregistered origin and for another registered origin', async () => {
      const evil = 'https://evil.example';
      const nonce = await getNonce(backend, shop);
      const forEvil = await presentAs(backend, held, { nonce, origin: evil });
      await rejects({ presentation: forEvil, nonce, origin: evil }, 401, 'origin_mismatch');
      await rejects({ presentation: forEvil, nonce, origin: shop.origin }, 401, 'origin_mismatch');
      await rejects({ presentation: forEvil, nonce }, 401, 'origin_mismatch');
      const good = await presentAs(backend, held, { nonce, origin: shop.origin });
      await rejects({ presentation: good, nonce, origin: evil }, 401, 'origin_mismatch');

      const twoOrigins = ['https://one.example', 'https://two.example'];
      const { affiliate: multi, benefitId: multiBenefit } = await createAffiliate(backend, adminToken, {
        origins: twoOrigins,
      });
      const theirs = await issueHeldCredential(backend, multiBenefit, { member });
      const multiNonce = await getNonce(backend, multi);
      const forTwo = await presentAs(backend, theirs, { nonce: multiNonce, origin: twoOrigins[1] as string });
      const body = { presentation: forTwo, nonce: multiNonce };
      await rejects({ ...body, origin: twoOrigins[0] }, 401, 'origin_mismatch', multi);
      const right = await verify(backend, multi, { ...body, origin: twoOrigins[1] });
      assert.equal(right.status, 200, 'the origin the KB-JWT names is accepted');
    });

    test('rule 12: a KB-JWT with another nonce is nonce_mismatch', async () => {
      const first = await getNonce(backend, shop);
      const second = await getNonce(backend, shop);
      const presentation = await presentAs(backend, held, { nonce: first, origin: shop.origin });
      await rejects({ presentation, nonce: second, origin: shop.origin }, 401, 'nonce_mismatch');
      await rejects({ presentation, origin: shop.origin }, 401, 'nonce_mismatch');
    });

    test('rule 12: a KB-JWT over 300 s old or over 60 s ahead is key_binding_expired (before rule 13)', async () => {
      const good = await fresh();
      backend.clock.advance(300);
      assert.equal((await verify(backend, shop, good)).status, 401, 'at 300 s the nonce has expired');
      assert.equal((await verify(backend, shop, good)).body.code, 'nonce_invalid', 'but the KB-JWT is still fresh');
      backend.clock.advance(1);
      await rejects(good, 401, 'key_binding_expired');

      backend.clock.set(TEST_NOW);
      const nonce = await getNonce(backend, shop);
      const ahead = { now: () => new Date(Date.parse(TEST_NOW) + 61_000) };
      const fromFuture = await presentAs(backend, held, { nonce, origin: shop.origin, clock: ahead });
      await rejects({ presentation: fromFuture, nonce, origin: shop.origin }, 401, 'key_binding_expired');
      const slightly = { now: () => new Date(Date.parse(TEST_NOW) + 60_000) };
      const skewed = await presentAs(backend, held, { nonce, origin: shop.origin, clock: slightly });
      assert.equal((await verify(backend, shop, { presentation: skewed, nonce, origin: shop.origin })).status, 200);
    });

    test('rule 13: an unknown, expired, foreign or used nonce is nonce_invalid', async () => {
      const unknown = 'a-nonce-this-club-never-issued-0000000000';
      const withUnknown = await presentAs(backend, held, { nonce: unknown, origin: shop.origin });
      await rejects({ presentation: withUnknown, nonce: unknown, origin: shop.origin }, 401, 'nonce_invalid');

      const theirs = await getNonce(backend, other);
      const withTheirs = await presentAs(backend, held, { nonce: theirs, origin: shop.origin });
      await rejects({ presentation: withTheirs, nonce: theirs, origin: shop.origin }, 401, 'nonce_invalid');

      const old = await getNonce(backend, shop);
      backend.clock.advance(301);
      const withOld = await presentAs(backend, held, { nonce: old, origin: shop.origin });
      await rejects({ presentation: withOld, nonce: old, origin: shop.origin }, 401, 'nonce_invalid');

      backend.clock.set(TEST_NOW);
      const once = await issueHeldCredential(backend, benefitId, { member });
      const first = await presentTo(backend, shop, once);
      const redeemed = await redeem(backend, shop, first);
      assert.equal(redeemed.status, 201);
      const voided = await backend.request('POST', `/v1/redemptions/${redeemed.body.id}/void`, {
        token: shop.apiKey,
        body: { reason: 'returned' },
      });
      assert.equal(voided.status, 200, 'the credential is usable again');
      const reused = await presentAs(backend, once, { nonce: first.nonce, origin: shop.origin });
      await rejects({ presentation: reused, nonce: first.nonce, origin: shop.origin }, 401, 'nonce_invalid');
      assert.equal((await redeem(backend, shop, await presentTo(backend, shop, once))).status, 201);
    });

    test('rule 14: a revoked credential is 410 credential_revoked; a bad nonce is reported first', async () => {
      const doomed = await issueHeldCredential(backend, benefitId, { member });
      const revoked = await backend.request('POST', `/v1/admin/credentials/${doomed.credentialId}/revoke`, {
        token: adminToken,
      });
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
      await rejects(await presentTo(backend, shop, doomed), 410, 'credential_revoked');
      const unknown = 'another-nonce-never-issued-000000000000';
      const presentation = await presentAs(backend, doomed, { nonce: unknown, origin: shop.origin });
      await rejects({ presentation, nonce: unknown, origin: shop.origin }, 401, 'nonce_invalid');
    });
  });
}
