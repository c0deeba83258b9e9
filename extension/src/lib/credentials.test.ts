import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AFF_CAFE,
  AFF_SHOP,
  createClub,
  ISSUER,
  NOW,
  NOW_SECONDS,
  storedCredential,
} from '../test-support/fixtures.js';
import {
  applyServerStatus,
  badgeText,
  credentialsForAffiliates,
  disclosuresOf,
  isUsable,
  mergeCredentialViews,
  nextExpiry,
  parseServerCredentials,
  type ServerCredential,
  toStoredCredential,
} from './credentials.js';

describe('isUsable', () => {
  it('needs status issued, a future exp, a reached nbf and a holder binding', async () => {
    const club = await createClub();
    const ok = await storedCredential(club);
    assert.equal(isUsable(ok, NOW), true);
    assert.equal(isUsable({ ...ok, status: 'redeemed' }, NOW), false);
    assert.equal(isUsable({ ...ok, status: 'revoked' }, NOW), false);
    assert.equal(isUsable({ ...ok, status: 'expired' }, NOW), false);
    assert.equal(isUsable({ ...ok, exp: NOW_SECONDS }, NOW), false);
    assert.equal(isUsable({ ...ok, exp: NOW_SECONDS + 1 }, NOW), true);
    assert.equal(isUsable({ ...ok, nbf: NOW_SECONDS + 61 }, NOW), false);
    assert.equal(isUsable({ ...ok, nbf: NOW_SECONDS + 30 }, NOW), true);
    assert.equal(isUsable({ ...ok, holderBound: false }, NOW), false);
  });
});

describe('credentialsForAffiliates', () => {
  it('offers only usable credentials from this club whose aud is the partner', async () => {
    const club = await createClub();
    const shopLater = await storedCredential(club, { aud: AFF_SHOP, exp: NOW_SECONDS + 9000 });
    const shopSooner = await storedCredential(club, { aud: AFF_SHOP, exp: NOW_SECONDS + 100 });
    const shopUsed = await storedCredential(club, { aud: AFF_SHOP, status: 'redeemed' });
    const shopExpired = await storedCredential(club, { aud: AFF_SHOP, exp: NOW_SECONDS - 1 });
    const cafe = await storedCredential(club, { aud: AFF_CAFE });
    const otherClub = await storedCredential(club, { aud: AFF_SHOP, issuer: 'https://other.example' });
    const all = [shopLater, shopSooner, shopUsed, shopExpired, cafe, otherClub];
    assert.deepEqual(
      credentialsForAffiliates(all, [AFF_SHOP], ISSUER, NOW).map((c) => c.id),
      [shopSooner.id, shopLater.id],
    );
    assert.deepEqual(
      credentialsForAffiliates(all, [AFF_CAFE], ISSUER, NOW).map((c) => c.id),
      [cafe.id],
    );
    assert.deepEqual(credentialsForAffiliates(all, [], ISSUER, NOW), []);
    assert.equal(nextExpiry(all, NOW), shopSooner.exp * 1000);
    assert.equal(nextExpiry([], NOW), null);
  });
});

describe('badgeText', () => {
  it('is empty off partner pages and the count on them', () => {
    assert.equal(badgeText(null), '');
    assert.equal(badgeText(0), '0');
    assert.equal(badgeText(3), '3');
    assert.equal(badgeText(120), '99+');
  });
});

describe('toStoredCredential', () => {
  it('reads aud, jti and exp from the token, not from the response', async () => {
    const club = await createClub();
    const issued = await storedCredential(club, { aud: AFF_CAFE });
    const stored = toStoredCredential({
      response: {
        id: 'crd_x',
        credential: issued.credential,
        expires_at: 'whatever',
        benefit: { id: 'ben_9', title: 'Coffee' },
      },
      memberId: 'mem_1',
      issuer: ISSUER,
      affiliateName: 'Cafe',
      requires: ['email'],
      now: NOW,
    });
    assert.equal(stored.aud, AFF_CAFE);
    assert.equal(stored.exp, issued.exp);
    assert.equal(stored.jti, issued.jti);
    assert.equal(stored.benefit.title, 'Coffee');
    assert.deepEqual(stored.affiliate, { id: AFF_CAFE, name: 'Cafe' });
    assert.deepEqual(stored.requires, ['email']);
    assert.equal(stored.status, 'issued');
  });

  it('refuses a credential from another issuer or without a response body', async () => {
    const club = await createClub();
    const issued = await storedCredential(club);
    const base = { memberId: 'm', affiliateName: null, requires: [], now: NOW };
    assert.throws(() =>
      toStoredCredential({
        ...base,
        issuer: 'https://other.example',
        response: { id: 'c', credential: issued.credential },
      }),
    );
    assert.throws(() => toStoredCredential({ ...base, issuer: ISSUER, response: { id: 'c' } }));
    assert.throws(() => toStoredCredential({ ...base, issuer: ISSUER, response: null }));
  });
});

describe('server list merging', () => {
  const server = (over: Partial<ServerCredential>): ServerCredential => ({
    id: 'crd_a',
    benefit: { id: 'ben_1', kind: 'prize', title: 'A', terms: {} },
    affiliate: { id: AFF_SHOP, name: 'Shop' },
    status: 'issued',
    expires_at: new Date((NOW_SECONDS + 3600) * 1000).toISOString(),
    redeemed_at: null,
    ...over,
  });

  it('parses the list and skips malformed entries', () => {
    const parsed = parseServerCredentials({
      data: [server({}), { id: 'x' }, server({ id: 'crd_b', status: 'weird' as 'issued' })],
    });
    assert.deepEqual(
      parsed.map((s) => s.id),
      ['crd_a'],
    );
    assert.deepEqual(parseServerCredentials(null), []);
  });

  it('applies the club’s status to what this browser holds', async () => {
    const club = await createClub();
    const held = await storedCredential(club, { id: 'crd_a' });
    const changed = applyServerStatus([held], [server({ status: 'redeemed', redeemed_at: '2026-06-01T11:00:00Z' })]);
    assert.equal(changed.length, 1);
    assert.equal(changed[0]?.status, 'redeemed');
    assert.equal(changed[0]?.redeemedAt, '2026-06-01T11:00:00Z');
    assert.deepEqual(applyServerStatus([held], [server({})]), []);
  });

  it('merges both lists: held ones are usable, others are marked as elsewhere', async () => {
    const club = await createClub();
    const held = await storedCredential(club, { id: 'crd_a' });
    const onlyHere = await storedCredential(club, { id: 'crd_local' });
    const views = mergeCredentialViews(
      [
        server({ id: 'crd_a' }),
        server({ id: 'crd_elsewhere' }),
        server({ id: 'crd_used', status: 'redeemed', redeemed_at: '2026-05-01T00:00:00Z' }),
        server({ id: 'crd_old', expires_at: '2026-05-01T00:00:00Z' }),
      ],
      [held, onlyHere],
      NOW,
    );
    const byId = new Map(views.map((v) => [v.id, v]));
    assert.equal(byId.get('crd_a')?.usable, true);
    assert.equal(byId.get('crd_a')?.stored, true);
    assert.equal(byId.get('crd_elsewhere')?.stored, false);
    assert.equal(byId.get('crd_elsewhere')?.usable, false);
    assert.equal(byId.get('crd_used')?.status, 'redeemed');
    assert.equal(byId.get('crd_used')?.redeemedAt, '2026-05-01T00:00:00Z');
    assert.equal(byId.get('crd_old')?.status, 'expired');
    assert.equal(byId.get('crd_local')?.usable, true);
    assert.equal(views.length, 5);
    assert.equal(views.at(-1)?.usable, false);
    assert.equal(views[0]?.usable, true);
  });

  it('works offline from what this browser holds', async () => {
    const club = await createClub();
    const held = await storedCredential(club, { exp: NOW_SECONDS - 10 });
    const [view] = mergeCredentialViews(null, [held], NOW);
    assert.equal(view?.status, 'expired');
    assert.equal(view?.usable, false);
  });
});

describe('disclosuresOf', () => {
  it('lists the details a credential can disclose', async () => {
    const club = await createClub();
    const held = await storedCredential(club, { details: { email: 'a@b.c', given_name: 'A' } });
    assert.deepEqual([...disclosuresOf(held.credential).keys()].sort(), ['email', 'given_name']);
  });
});
