import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClubpassError, generateKeyPair, RECEIPT_TYP } from '@clubpass/shared';
import {
  AFF_CAFE,
  AFF_SHOP,
  CAFE_ORIGIN,
  CLUB_URL,
  clock,
  createClub,
  directoryToken,
  ISSUER,
  NOW,
  NOW_SECONDS,
  SHOP_ORIGIN,
  type TestClub,
} from '../test-support/fixtures.js';
import {
  affiliatesForOrigin,
  type DirectorySource,
  isDirectoryUsable,
  loadDirectory,
  nextRefreshAt,
  parseAffiliates,
} from './directory.js';

function source(club: TestClub, token: string, discovery: unknown = { issuer: ISSUER }): DirectorySource {
  return { discovery: async () => discovery, jwks: async () => club.jwks, directoryToken: async () => token };
}

async function rejects(promise: Promise<unknown>, code: string) {
  await assert.rejects(promise, (error: unknown) => error instanceof ClubpassError && error.code === code);
}

describe('loadDirectory', () => {
  it('verifies a directory signed by the club and keeps it until its exp', async () => {
    const club = await createClub();
    const directory = await loadDirectory(CLUB_URL, source(club, await directoryToken(club)), clock);
    assert.equal(directory.issuer, ISSUER);
    assert.equal(directory.clubUrl, CLUB_URL);
    assert.equal(directory.expiresAt, (NOW_SECONDS + 3600) * 1000);
    assert.deepEqual(
      directory.affiliates.map((a) => a.id),
      [AFF_SHOP, AFF_CAFE],
    );
  });

  it('refuses a directory signed by another key', async () => {
    const club = await createClub();
    const other = await createClub();
    await rejects(loadDirectory(CLUB_URL, source(club, await directoryToken(other)), clock), 'unknown_key');
  });

  it('refuses another kind of club statement (typ)', async () => {
    const club = await createClub();
    const receipt = await directoryToken(club, {}, RECEIPT_TYP);
    await rejects(loadDirectory(CLUB_URL, source(club, receipt), clock), 'invalid_type');
  });

  it('refuses a directory from another issuer than discovery names', async () => {
    const club = await createClub();
    const token = await directoryToken(club, { iss: 'https://evil.example' });
    await rejects(loadDirectory(CLUB_URL, source(club, token), clock), 'wrong_issuer');
  });

  it('refuses an expired directory and one without exp', async () => {
    const club = await createClub();
    await rejects(
      loadDirectory(CLUB_URL, source(club, await directoryToken(club, { exp: NOW_SECONDS - 3600 })), clock),
      'credential_expired',
    );
    await rejects(
      loadDirectory(CLUB_URL, source(club, await directoryToken(club, { exp: undefined })), clock),
      'invalid_claims',
    );
  });

  it('refuses a tampered payload', async () => {
    const club = await createClub();
    const [h, p, s] = (await directoryToken(club)).split('.');
    const payload = JSON.parse(Buffer.from(p as string, 'base64url').toString());
    payload.affiliates[0].origins.push('https://evil.example');
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    await rejects(loadDirectory(CLUB_URL, source(club, forged), clock), 'invalid_signature');
  });

  it('refuses a discovery document without issuer and a JWKS with private keys', async () => {
    const club = await createClub();
    const token = await directoryToken(club);
    await assert.rejects(loadDirectory(CLUB_URL, source(club, token, {}), clock));
    const extractable = await generateKeyPair('EdDSA', { extractable: true });
    const privateJwk = await crypto.subtle.exportKey('jwk', extractable.privateKey);
    const poisoned = { ...source(club, token), jwks: async () => ({ keys: [{ ...privateJwk, kid: 'x' }] }) };
    await assert.rejects(loadDirectory(CLUB_URL, poisoned, clock));
  });

  it('caps the cache at 24 hours', async () => {
    const club = await createClub();
    const token = await directoryToken(club, { exp: NOW_SECONDS + 7 * 24 * 3600 });
    const directory = await loadDirectory(CLUB_URL, source(club, token), clock);
    assert.equal(directory.expiresAt, NOW.getTime() + 24 * 3600 * 1000);
  });
});

describe('parseAffiliates', () => {
  it('drops malformed entries and non-canonical origins', () => {
    const parsed = parseAffiliates([
      {
        id: 'aff_1',
        name: 'One',
        origins: ['https://one.example', 'https://one.example/', '*://x', 'HTTPS://ONE.EXAMPLE'],
      },
      { id: 'aff_2', origins: ['https://two.example'] },
      'junk',
      { id: 'aff_3', name: 'Three', origins: 'https://three.example' },
    ]);
    assert.deepEqual(parsed, [{ id: 'aff_1', name: 'One', origins: ['https://one.example'] }]);
    assert.throws(() => parseAffiliates(undefined));
  });
});

describe('affiliatesForOrigin and usability', () => {
  it('matches exact origins only', async () => {
    const club = await createClub();
    const directory = await loadDirectory(CLUB_URL, source(club, await directoryToken(club)), clock);
    assert.deepEqual(
      affiliatesForOrigin(directory, SHOP_ORIGIN).map((a) => a.id),
      [AFF_SHOP],
    );
    assert.deepEqual(
      affiliatesForOrigin(directory, CAFE_ORIGIN).map((a) => a.id),
      [AFF_CAFE],
    );
    for (const miss of [
      'https://shop.example.evil.test',
      'http://shop.example',
      'https://www.shop.example',
      'http://127.0.0.1:3002',
      'null',
    ]) {
      assert.deepEqual(affiliatesForOrigin(directory, miss), [], miss);
    }
    assert.equal(isDirectoryUsable(directory, CLUB_URL, NOW), true);
    assert.equal(isDirectoryUsable(directory, 'https://other.example', NOW), false);
    assert.equal(isDirectoryUsable(directory, CLUB_URL, new Date(directory.expiresAt)), false);
    assert.equal(isDirectoryUsable(null, CLUB_URL, NOW), false);
  });

  it('schedules a refresh before the cache expires', async () => {
    const club = await createClub();
    const directory = await loadDirectory(CLUB_URL, source(club, await directoryToken(club)), clock);
    const at = nextRefreshAt(directory, NOW);
    assert.ok(at < directory.expiresAt && at > NOW.getTime());
    assert.equal(nextRefreshAt(null, NOW), NOW.getTime() + 5 * 60 * 1000);
  });
});
