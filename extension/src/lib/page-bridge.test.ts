import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PageReply, PresentRequestMessage } from './messages.js';
import { type BridgeEnv, type PageMessageEvent, startPageBridge } from './page-bridge.js';

const ORIGIN = 'https://shop.example';
const ID = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const WINDOW = { name: 'the page window' };
const request = (id = ID) => ({
  clubpass: 1,
  type: 'request',
  id,
  affiliate: 'aff_x',
  nonce: 'n1',
  disclose: ['email'],
});

function fakeEnv(options: {
  partner: boolean | Promise<boolean>;
  answer?: unknown;
  isTopFrame?: boolean;
  origin?: string;
}) {
  const listeners = new Set<(e: PageMessageEvent) => void>();
  const posted: { message: PageReply; targetOrigin: string }[] = [];
  const forwarded: PresentRequestMessage[] = [];
  let asked = 0;
  const env: BridgeEnv = {
    origin: options.origin ?? ORIGIN,
    isTopFrame: options.isTopFrame ?? true,
    isOwnWindow: (source) => source === WINDOW,
    addMessageListener: (l) => listeners.add(l),
    removeMessageListener: (l) => listeners.delete(l),
    postToPage: (message, targetOrigin) => posted.push({ message, targetOrigin }),
    askPartner: async () => {
      asked++;
      return options.partner;
    },
    forward: async (r) => {
      forwarded.push(r);
      return options.answer ?? { presentation: 'jwt~disc~kb' };
    },
  };
  const dispatch = (data: unknown, source: unknown = WINDOW, origin = ORIGIN) => {
    for (const l of [...listeners]) l({ source, origin, data });
  };
  return { env, listeners, posted, forwarded, dispatch, asked: () => asked };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('page bridge on a page that is not a partner', () => {
  it('stays silent: no reply, no forward, no listener left', async () => {
    const fake = fakeEnv({ partner: false });
    const pending = startPageBridge(fake.env);
    fake.dispatch(request()); // arrives while the check is pending
    assert.equal(await pending, 'silent');
    fake.dispatch(request());
    await settle();
    assert.deepEqual(fake.posted, []);
    assert.deepEqual(fake.forwarded, []);
    assert.equal(fake.listeners.size, 0);
  });

  it('does not even ask in frames or on non-http pages', async () => {
    for (const options of [{ isTopFrame: false }, { origin: 'null' }, { origin: 'file://' }]) {
      const fake = fakeEnv({ partner: true, ...options });
      assert.equal(await startPageBridge(fake.env), 'silent');
      assert.equal(fake.asked(), 0);
      assert.equal(fake.listeners.size, 0);
    }
  });

  it('treats a failed check as not a partner', async () => {
    const fake = fakeEnv({ partner: Promise.reject(new Error('no background')) });
    assert.equal(await startPageBridge(fake.env), 'silent');
    assert.equal(fake.listeners.size, 0);
  });
});

describe('page bridge on a partner page', () => {
  it('acks, forwards id, nonce and disclose, and answers with targetOrigin = the page origin', async () => {
    const fake = fakeEnv({ partner: true });
    assert.equal(await startPageBridge(fake.env), 'partner');
    fake.dispatch(request());
    await settle();
    assert.deepEqual(fake.forwarded, [{ type: 'present', id: ID, nonce: 'n1', disclose: ['email'] }]);
    assert.deepEqual(fake.posted, [
      { message: { clubpass: 1, type: 'ack', id: ID }, targetOrigin: ORIGIN },
      { message: { clubpass: 1, type: 'response', id: ID, presentation: 'jwt~disc~kb' }, targetOrigin: ORIGIN },
    ]);
  });

  it('relays a decline as unavailable', async () => {
    const fake = fakeEnv({ partner: true, answer: { error: 'unavailable' } });
    await startPageBridge(fake.env);
    fake.dispatch(request());
    await settle();
    assert.deepEqual(fake.posted[1]?.message, { clubpass: 1, type: 'response', id: ID, error: 'unavailable' });
  });

  it('handles a request that arrived before the check answered', async () => {
    let resolve: (v: boolean) => void = () => undefined;
    const fake = fakeEnv({ partner: new Promise<boolean>((r) => (resolve = r)) });
    const started = startPageBridge(fake.env);
    fake.dispatch(request());
    await settle();
    assert.equal(fake.posted.length, 0, 'nothing is said before the background confirms');
    resolve(true);
    await started;
    await settle();
    assert.equal(fake.posted[0]?.message.type, 'ack');
  });

  it('ignores other windows, other origins, its own replies, malformed and duplicate requests', async () => {
    const fake = fakeEnv({ partner: true, answer: new Promise(() => undefined) });
    await startPageBridge(fake.env);
    fake.dispatch(request(), { name: 'an iframe' });
    fake.dispatch(request(), WINDOW, 'https://evil.example');
    fake.dispatch({ clubpass: 1, type: 'ack', id: ID });
    fake.dispatch({ clubpass: 1, type: 'response', id: ID, presentation: 'x' });
    fake.dispatch({ ...request(), nonce: '' });
    fake.dispatch('hello');
    assert.deepEqual(fake.posted, []);
    fake.dispatch(request());
    fake.dispatch(request());
    await settle();
    assert.equal(fake.forwarded.length, 1);
    assert.equal(fake.posted.length, 1);
  });
});
