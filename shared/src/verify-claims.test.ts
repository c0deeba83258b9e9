import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { ErrorCode } from './errors.js';
import { rejectsWithCode } from './test-support/assert-code.js';
import { NOW_SECONDS } from './test-support/clock.js';
import {
  AUDIENCE,
  createTestClub,
  ISSUER,
  JTI,
  presentation,
  type TestClub,
  verifyOptions,
} from './test-support/club.js';
import { bindPresentation, forgeCredential } from './test-support/forge.js';
import { verifyPresentation } from './verify-presentation.js';

// Rules 6-9 of PROTOCOL.md §5. The credentials are issued and presented by the library itself
// (issueCredential does not police claims), so each differs from a good one in one claim only.

let club: TestClub;
before(async () => {
  club = await createTestClub();
});

async function expectCode(claims: Record<string, unknown>, code: ErrorCode): Promise<void> {
  await rejectsWithCode(verifyPresentation(await presentation(club, { claims }), verifyOptions(club)), code);
}

async function expectValid(claims: Record<string, unknown>): Promise<void> {
  const result = await verifyPresentation(await presentation(club, { claims }), verifyOptions(club));
  assert.equal(result.jti, JTI);
}

describe('rule 6: issuer and vct', () => {
  for (const iss of ['https://evil.example', `${ISSUER}/`, ISSUER.replace('https', 'http'), [ISSUER], undefined]) {
    test(`iss ${JSON.stringify(iss) ?? 'missing'} is wrong_issuer`, () => expectCode({ iss }, 'wrong_issuer'));
  }
  for (const vct of ['urn:clubpass:benefit:2', 'urn:clubpass:benefit:1 ', 'URN:CLUBPASS:BENEFIT:1', undefined]) {
    test(`vct ${JSON.stringify(vct) ?? 'missing'} is invalid_type`, () => expectCode({ vct }, 'invalid_type'));
  }
});

describe('rule 7: audience', () => {
  // An array holding the right affiliate is still refused: §3 makes aud a single string.
  for (const aud of ['aff_other', `${AUDIENCE} `, [AUDIENCE], undefined]) {
    test(`aud ${JSON.stringify(aud) ?? 'missing'} is wrong_audience`, () => expectCode({ aud }, 'wrong_audience'));
  }
});

describe('rule 8: time, with 60 s of skew', () => {
  test('exp missing, null or a string is invalid_claims', async () => {
    for (const exp of [undefined, null, String(NOW_SECONDS + 3600), [NOW_SECONDS + 3600]]) {
      await expectCode({ exp }, 'invalid_claims');
    }
  });

  test('exp = now - 60 is credential_expired; exp = now - 59 is accepted', async () => {
    await expectCode({ exp: NOW_SECONDS - 60 }, 'credential_expired');
    await expectValid({ exp: NOW_SECONDS - 59 });
  });

  test('nbf = now + 60 is accepted; nbf = now + 61 is credential_not_yet_valid', async () => {
    await expectValid({ nbf: NOW_SECONDS + 60 });
    await expectCode({ nbf: NOW_SECONDS + 61 }, 'credential_not_yet_valid');
  });

  test('nbf that is not a number is invalid_claims', () => expectCode({ nbf: 'soon' }, 'invalid_claims'));

  test('iat = now + 60 is accepted; iat = now + 61 is invalid_claims', async () => {
    await expectValid({ iat: NOW_SECONDS + 60 });
    await expectCode({ iat: NOW_SECONDS + 61 }, 'invalid_claims');
  });

  test('iat missing or not a number is invalid_claims', async () => {
    for (const iat of [undefined, null, String(NOW_SECONDS)]) await expectCode({ iat }, 'invalid_claims');
  });
});

describe('rule 9: the other required claims', () => {
  for (const name of ['sub', 'jti', 'billing_ref', 'benefit']) {
    test(`missing ${name} is invalid_claims`, () => expectCode({ [name]: undefined }, 'invalid_claims'));
  }

  test('sub, billing_ref of the wrong type or empty are invalid_claims', async () => {
    for (const claims of [{ sub: '' }, { sub: 7 }, { billing_ref: '' }, { billing_ref: { ref: 'x' } }]) {
      await expectCode(claims, 'invalid_claims');
    }
  });

  test('a jti under 128 bits or not base64url is invalid_claims; exactly 128 bits is accepted', async () => {
    for (const jti of [JTI.slice(1), `${JTI.slice(1)}+`, `${JTI.slice(1)}=`, 1234567890]) {
      await expectCode({ jti }, 'invalid_claims');
    }
    await expectValid({ jti: JTI });
  });

  test('a benefit that is not { id, kind, title, terms } with a known kind is invalid_claims', async () => {
    const good = { id: 'ben_01', kind: 'prize', title: 'Prize', terms: {} };
    const bad = [
      [good],
      { ...good, id: '' },
      { ...good, kind: 'free_lunch' },
      { ...good, title: undefined },
      { ...good, terms: null },
      { ...good, terms: ['percent_off'] },
    ];
    for (const benefit of bad) await expectCode({ benefit }, 'invalid_claims');
    await expectValid({ benefit: good });
  });

  test('pin other than true is invalid_claims', async () => {
    for (const pin of [false, 'true', 1]) await expectCode({ pin }, 'invalid_claims');
    await expectValid({ pin: true });
  });

  test('a cnf that is not a public Ed25519 or P-256 JWK is invalid_claims', async () => {
    const jwk = club.holder.publicJwk;
    const bad = [
      'not an object',
      {},
      { jwk: { ...jwk, d: jwk.x } },
      { jwk: { kty: 'oct', k: jwk.x } },
      { jwk: { kty: 'RSA', n: jwk.x, e: 'AQAB' } },
      { jwk: { ...jwk, crv: 'X25519' } },
      { jwk: { ...jwk, x: (jwk.x as string).slice(0, 42) } },
      { jwk: { kty: 'EC', crv: 'P-384', x: jwk.x, y: jwk.x } },
    ];
    for (const cnf of bad) await expectCode({ cnf }, 'invalid_claims');
  });

  test('an _sd that is not a list of strings, or an _sd_alg other than sha-256, is invalid_claims', async () => {
    for (const claims of [{ _sd: 'abc' }, { _sd: [1] }, { _sd: {} }, { _sd_alg: 'sha-512' }, { _sd_alg: undefined }]) {
      const token = await bindPresentation(club, await forgeCredential(club, { claims }));
      await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'invalid_claims');
    }
  });
});

describe('order of rules 6-9', () => {
  test('wrong_issuer beats invalid_type (vct) and wrong_audience', () =>
    expectCode({ iss: 'https://evil.example', vct: 'x', aud: 'aff_other' }, 'wrong_issuer'));

  test('a wrong vct beats wrong_audience', () => expectCode({ vct: 'x', aud: 'aff_other' }, 'invalid_type'));

  test('wrong_audience beats credential_expired', () =>
    expectCode({ aud: 'aff_other', exp: NOW_SECONDS - 3600 }, 'wrong_audience'));

  test('wrong_audience beats a missing exp', () => expectCode({ aud: 'aff_other', exp: undefined }, 'wrong_audience'));

  test('credential_expired beats credential_not_yet_valid and missing claims', () =>
    expectCode({ exp: NOW_SECONDS - 60, nbf: NOW_SECONDS + 61, sub: undefined }, 'credential_expired'));

  test('credential_not_yet_valid beats a future iat and missing claims', () =>
    expectCode({ nbf: NOW_SECONDS + 61, iat: NOW_SECONDS + 61, jti: undefined }, 'credential_not_yet_valid'));
});
