import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { DIRECTORY_TYP, RECEIPT_TYP, signClubJwt, verifyClubJwt } from './club-jwt.js';
import { rejectsWithCode } from './test-support/assert-code.js';
import { clock, NOW_SECONDS } from './test-support/clock.js';
import { createTestClub, ISSUER, issue, type TestClub, verifyOptions } from './test-support/club.js';
import { encodeJson, signJws, unsignedJws } from './test-support/forge.js';
import { verifyPresentation } from './verify-presentation.js';

let club: TestClub;
before(async () => {
  club = await createTestClub();
});

const directory = () => ({
  iss: ISSUER,
  iat: NOW_SECONDS,
  exp: NOW_SECONDS + 3600,
  affiliates: [{ id: 'aff_1', name: 'Shop', origins: ['https://shop.example'] }],
});
const receipt = () => ({ iss: ISSUER, aud: 'aff_1', jti: 'red_1', credential: 'crd_1', iat: NOW_SECONDS });
const options = (typ: string) => ({ keys: club.keys, typ, issuer: ISSUER, clock });

describe('signClubJwt / verifyClubJwt', () => {
  for (const alg of ['EdDSA', 'ES256'] as const) {
    test(`a ${alg} directory round-trips with its typ and kid in the header`, async () => {
      const signer = alg === 'EdDSA' ? club : await createTestClub({ issuerAlg: alg });
      const token = await signClubJwt(signer.issuer, DIRECTORY_TYP, directory());
      const header = JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString());
      assert.deepEqual(header, { alg, typ: DIRECTORY_TYP, kid: signer.issuer.kid });
      assert.deepEqual(await verifyClubJwt(token, { ...options(DIRECTORY_TYP), keys: signer.keys }), directory());
    });
  }

  test('a receipt passed off as a directory, or the reverse, is invalid_type', async () => {
    const asReceipt = await signClubJwt(club.issuer, RECEIPT_TYP, directory());
    await rejectsWithCode(verifyClubJwt(asReceipt, options(DIRECTORY_TYP)), 'invalid_type');
    const asDirectory = await signClubJwt(club.issuer, DIRECTORY_TYP, receipt());
    await rejectsWithCode(verifyClubJwt(asDirectory, options(RECEIPT_TYP)), 'invalid_type');
  });

  test('a credential is not a directory, and a directory is not a credential', async () => {
    const credentialJwt = (await issue(club)).split('~')[0];
    await rejectsWithCode(verifyClubJwt(credentialJwt, options(DIRECTORY_TYP)), 'invalid_type');
    const dir = await signClubJwt(club.issuer, DIRECTORY_TYP, directory());
    await rejectsWithCode(verifyPresentation(`${dir}~`, verifyOptions(club)), 'invalid_type');
  });

  test('exp = now - 60 is credential_expired; now - 59 is accepted', async () => {
    const expired = await signClubJwt(club.issuer, DIRECTORY_TYP, { ...directory(), exp: NOW_SECONDS - 60 });
    await rejectsWithCode(verifyClubJwt(expired, options(DIRECTORY_TYP)), 'credential_expired');
    const fresh = await signClubJwt(club.issuer, DIRECTORY_TYP, { ...directory(), exp: NOW_SECONDS - 59 });
    assert.equal((await verifyClubJwt(fresh, options(DIRECTORY_TYP))).exp, NOW_SECONDS - 59);
  });

  test('an exp that is not a number is refused, not ignored', async () => {
    const token = await signClubJwt(club.issuer, DIRECTORY_TYP, { ...directory(), exp: String(NOW_SECONDS + 3600) });
    await rejectsWithCode(verifyClubJwt(token, options(DIRECTORY_TYP)), 'credential_expired');
  });

  test("another issuer's statement is wrong_issuer", async () => {
    const token = await signClubJwt(club.issuer, RECEIPT_TYP, { ...receipt(), iss: 'https://other.example' });
    await rejectsWithCode(verifyClubJwt(token, options(RECEIPT_TYP)), 'wrong_issuer');
  });

  test('alg none, an unknown kid and a changed payload fail as they do for credentials', async () => {
    const header = { alg: club.issuer.alg, typ: DIRECTORY_TYP, kid: club.issuer.kid };
    const none = unsignedJws({ ...header, alg: 'none' }, directory());
    await rejectsWithCode(verifyClubJwt(none, options(DIRECTORY_TYP)), 'unsupported_algorithm');
    const stranger = await createTestClub();
    const unknown = await signClubJwt(stranger.issuer, DIRECTORY_TYP, directory());
    await rejectsWithCode(verifyClubJwt(unknown, options(DIRECTORY_TYP)), 'unknown_key');
    const [h, , s] = (await signJws(club.issuer.privateKey, header, directory())).split('.');
    const widened = {
      ...directory(),
      affiliates: [{ id: 'aff_evil', name: 'Evil', origins: ['https://evil.example'] }],
    };
    await rejectsWithCode(
      verifyClubJwt(`${h}.${encodeJson(widened)}.${s}`, options(DIRECTORY_TYP)),
      'invalid_signature',
    );
  });

  test('anything but a compact JWS string is malformed_credential', async () => {
    for (const value of [undefined, 42, {}, '', 'a.b', 'a.b.c.d']) {
      await rejectsWithCode(verifyClubJwt(value, options(DIRECTORY_TYP)), 'malformed_credential');
    }
  });
});
