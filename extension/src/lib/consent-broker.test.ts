import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importJwks, verifyPresentation } from '@clubpass/shared';
import {
  AFF_CAFE,
  AFF_SHOP,
  clock,
  createClub,
  ISSUER,
  SHOP_ORIGIN,
  storedCredential,
  type TestClub,
} from '../test-support/fixtures.js';
import { ConsentBroker, MAX_PENDING, type PageAnswer } from './consent-broker.js';
import type { StoredCredential } from './credentials.js';

const REQUEST = {
  type: 'present' as const,
  id: '0123456789abcdef0123456789abcdef',
  nonce: 'nonce-123',
  disclose: ['email', 'address'],
};
const SHOP = { id: AFF_SHOP, name: 'Shop', origins: [SHOP_ORIGIN] };

function harness(club: TestClub, credentials: StoredCredential[]) {
  const opened: string[] = [];
  const closed: number[] = [];
  let nextWindow = 100;
  let ids = 0;
  const broker = new ConsentBroker({
    clock,
    randomId: () => `req${++ids}`,
    openWindow: async (requestId) => {
      opened.push(requestId);
      return nextWindow++;
    },
    closeWindow: async (id) => {
      closed.push(id);
    },
    credentials: async () => credentials,
    holderKey: async () => ({ alg: club.holder.alg, privateKey: club.holder.privateKey }),
  });
  const answers: PageAnswer[] = [];
  const begin = (tabId = 1, affiliates = [SHOP], request = REQUEST) =>
    broker.begin({ tabId, origin: SHOP_ORIGIN, affiliates, issuer: ISSUER, request, reply: (a) => answers.push(a) });
  return { broker, opened, closed, answers, begin };
}

describe('ConsentBroker', () => {
  it('shares a presentation bound to the browser-reported origin and the page nonce', async () => {
    const club = await createClub();
    const shop = await storedCredential(club, { aud: AFF_SHOP });
    const cafe = await storedCredential(club, { aud: AFF_CAFE });
    const { broker, opened, closed, answers, begin } = harness(club, [shop, cafe]);
    const requestId = await begin();
    assert.equal(requestId, 'req1');
    assert.deepEqual(opened, ['req1']);

    const view = await broker.view('req1');
    assert.deepEqual(
      view?.credentials.map((c) => c.id),
      [shop.id],
      'only credentials whose aud is the partner are offered',
    );

    assert.deepEqual(await broker.decide('req1', { share: true, credentialId: shop.id, disclose: ['email'] }), {
      ok: true,
    });
    assert.equal(answers.length, 1);
    const answer = answers[0];
    assert.ok(answer && 'presentation' in answer);
    const verified = await verifyPresentation(answer.presentation, {
      keys: await importJwks(club.jwks),
      issuer: ISSUER,
      audience: AFF_SHOP,
      origin: SHOP_ORIGIN,
      nonce: 'nonce-123',
      clock,
    });
    assert.deepEqual(verified.disclosed, { email: 'ada@example.org' });
    assert.equal(verified.keyBinding?.aud, SHOP_ORIGIN);
    assert.deepEqual(closed, [100]);
    assert.equal(broker.size, 0);
    // Answered once only.
    assert.equal((await broker.decide('req1', { share: false })).ok, false);
    assert.equal(answers.length, 1);
  });

  it('refuses to share a credential for another partner or an unrequested detail', async () => {
    const club = await createClub();
    const shop = await storedCredential(club, { aud: AFF_SHOP });
    const cafe = await storedCredential(club, { aud: AFF_CAFE });
    const { broker, answers, begin } = harness(club, [shop, cafe]);
    await begin();
    assert.equal((await broker.decide('req1', { share: true, credentialId: cafe.id, disclose: [] })).ok, false);
    assert.equal(
      (await broker.decide('req1', { share: true, credentialId: shop.id, disclose: ['given_name'] })).ok,
      false,
    );
    assert.equal(answers.length, 0, 'a refused decision leaves the request pending');
    assert.equal(broker.isPending('req1'), true);
  });

  it('answers unavailable on decline, on closing the window and when the page goes away', async () => {
    const club = await createClub();
    const shop = await storedCredential(club);
    const { broker, answers, closed, begin } = harness(club, [shop]);
    await begin(1);
    await broker.decide('req1', { share: false });
    await begin(2);
    broker.windowClosed(101);
    await begin(3);
    broker.senderGone('req3');
    await begin(4);
    broker.tabClosed(4);
    assert.deepEqual(answers, Array(4).fill({ error: 'unavailable' }));
    assert.deepEqual(closed.sort(), [100, 102, 103]);
    assert.equal(broker.size, 0);
  });

  it('opens the window even with nothing to offer, so the page cannot tell', async () => {
    const club = await createClub();
    const { broker, opened, answers, begin } = harness(club, []);
    await begin();
    assert.deepEqual(opened, ['req1']);
    assert.equal((await broker.view('req1'))?.credentials.length, 0);
    assert.equal(answers.length, 0);
  });

  it('allows one request per tab and a few at once', async () => {
    const club = await createClub();
    const { answers, begin, opened } = harness(club, []);
    await begin(1);
    assert.equal(await begin(1), null);
    assert.deepEqual(answers, [{ error: 'unavailable' }]);
    for (let tab = 2; tab <= MAX_PENDING; tab++) await begin(tab);
    assert.equal(await begin(99), null);
    assert.equal(opened.length, MAX_PENDING);
  });

  it('answers unavailable when there is no partner or the window cannot open', async () => {
    const club = await createClub();
    const { answers, begin } = harness(club, []);
    assert.equal(await begin(1, []), null);
    const failing = new ConsentBroker({
      clock,
      randomId: () => 'x',
      openWindow: async () => {
        throw new Error('no windows');
      },
      closeWindow: async () => undefined,
      credentials: async () => [],
      holderKey: async () => ({ alg: club.holder.alg, privateKey: club.holder.privateKey }),
    });
    await failing.begin({
      tabId: 1,
      origin: SHOP_ORIGIN,
      affiliates: [SHOP],
      issuer: ISSUER,
      request: REQUEST,
      reply: (a) => answers.push(a),
    });
    assert.deepEqual(answers, [{ error: 'unavailable' }, { error: 'unavailable' }]);
    assert.equal(failing.size, 0);
  });
});
