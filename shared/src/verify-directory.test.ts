import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildJwks,
  DIRECTORY_TYP,
  generateKeyPair,
  importJwks,
  RECEIPT_TYP,
  signClubJwt,
  verifyDirectory,
  verifyReceipt,
} from './index.js';
import { rejectsWithCode } from './test-support/assert-code.js';

const NOW = new Date('2026-12-03T12:00:00Z');
const clock = { now: () => NOW };
const t = Math.floor(NOW.getTime() / 1000);
const ISSUER = 'https://club.test';

async function club() {
  const signer = await generateKeyPair('EdDSA', { extractable: false });
  return { signer, keys: await importJwks(await buildJwks([signer.publicJwk])) };
}

describe('verifyDirectory', () => {
  test('returns the affiliates of a valid directory', async () => {
    const { signer, keys } = await club();
    const token = await signClubJwt(signer, DIRECTORY_TYP, {
      iss: ISSUER,
      iat: t,
      exp: t + 3600,
      affiliates: [{ id: 'aff_1', name: 'Shop', origins: ['https://shop.example'] }],
    });
    const directory = await verifyDirectory(token, { keys, issuer: ISSUER, clock });
    assert.deepEqual(directory.affiliates, [{ id: 'aff_1', name: 'Shop', origins: ['https://shop.example'] }]);
  });

  test('refuses a directory without exp, valid for over 24 h, or with a malformed entry', async () => {
    const { signer, keys } = await club();
    const sign = (payload: Record<string, unknown>) =>
      signClubJwt(signer, DIRECTORY_TYP, { iss: ISSUER, iat: t, ...payload });
    await rejectsWithCode(
      verifyDirectory(await sign({ affiliates: [] }), { keys, issuer: ISSUER, clock }),
      'invalid_claims',
    );
    await rejectsWithCode(
      verifyDirectory(await sign({ exp: t + 24 * 3600 + 61, affiliates: [] }), { keys, issuer: ISSUER, clock }),
      'invalid_claims',
    );
    await rejectsWithCode(
      verifyDirectory(await sign({ exp: t + 60, affiliates: [{ id: 'aff_1', origins: 'https://x' }] }), {
        keys,
        issuer: ISSUER,
        clock,
      }),
      'invalid_claims',
    );
    await rejectsWithCode(
      verifyDirectory(await sign({ exp: t - 61, affiliates: [] }), { keys, issuer: ISSUER, clock }),
      'credential_expired',
    );
  });
});

describe('verifyReceipt', () => {
  test('accepts a receipt for this affiliate and refuses one for another', async () => {
    const { signer, keys } = await club();
    const token = await signClubJwt(signer, RECEIPT_TYP, {
      iss: ISSUER,
      aud: 'aff_1',
      jti: 'red_1',
      credential: 'crd_1',
      benefit: 'ben_1',
      amount: { amount: 250, currency: 'EUR' },
      iat: t,
    });
    const receipt = await verifyReceipt(token, { keys, issuer: ISSUER, audience: 'aff_1', clock });
    assert.deepEqual(receipt.amount, { amount: 250, currency: 'EUR' });
    assert.equal(receipt.jti, 'red_1');
    await rejectsWithCode(verifyReceipt(token, { keys, issuer: ISSUER, audience: 'aff_2', clock }), 'wrong_audience');
  });
});
