import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalOrigin,
  isExtensionPageSender,
  isLoopbackHost,
  originPattern,
  parseClubUrl,
  sameOrigin,
  topFrameOrigin,
} from './origins.js';

describe('canonicalOrigin', () => {
  it('accepts exact http(s) origins only', () => {
    assert.equal(canonicalOrigin('https://shop.example'), 'https://shop.example');
    assert.equal(canonicalOrigin('http://127.0.0.1:3001'), 'http://127.0.0.1:3001');
    for (const bad of [
      'https://shop.example/',
      'https://shop.example/path',
      'https://Shop.example',
      'https://shop.example:443',
      'ftp://shop.example',
      'null',
      '',
      'shop.example',
      'https://user@shop.example',
      42,
      null,
    ]) {
      assert.equal(canonicalOrigin(bad), null, String(bad));
    }
  });
});

describe('sameOrigin', () => {
  it('is exact string equality of canonical origins', () => {
    assert.equal(sameOrigin('https://shop.example', 'https://shop.example'), true);
    assert.equal(sameOrigin('https://shop.example.evil.test', 'https://shop.example'), false);
    assert.equal(sameOrigin('https://evil.shop.example', 'https://shop.example'), false);
    assert.equal(sameOrigin('http://shop.example', 'https://shop.example'), false);
    assert.equal(sameOrigin('https://shop.example:8443', 'https://shop.example'), false);
    assert.equal(sameOrigin('null', 'null'), false);
  });
});

describe('parseClubUrl', () => {
  it('normalizes a club address to its origin', () => {
    assert.deepEqual(parseClubUrl(' http://127.0.0.1:8080/ '), { ok: true, url: 'http://127.0.0.1:8080' });
    assert.deepEqual(parseClubUrl('https://Club.Example'), { ok: true, url: 'https://club.example' });
    assert.deepEqual(parseClubUrl('http://localhost:8080'), { ok: true, url: 'http://localhost:8080' });
  });

  it('refuses plain http off the loopback, paths, credentials and other schemes', () => {
    for (const bad of [
      '',
      'club.example',
      'http://club.example',
      'https://club.example/api',
      'ftp://x.example',
      'https://a:b@club.example',
      'https://club.example?x=1',
    ]) {
      assert.equal(parseClubUrl(bad).ok, false, bad);
    }
  });
});

describe('isLoopbackHost', () => {
  it('knows the loopback hosts PROTOCOL.md §8 allows over http', () => {
    assert.equal(isLoopbackHost('127.0.0.1'), true);
    assert.equal(isLoopbackHost('127.8.9.10'), true);
    assert.equal(isLoopbackHost('localhost'), true);
    assert.equal(isLoopbackHost('[::1]'), true);
    assert.equal(isLoopbackHost('128.0.0.1'), false);
    assert.equal(isLoopbackHost('localhost.evil.test'), false);
  });
});

describe('originPattern', () => {
  it('makes a host match pattern', () => {
    assert.equal(originPattern('https://club.example'), 'https://club.example/*');
    assert.equal(originPattern('http://127.0.0.1:8080'), 'http://127.0.0.1/*');
  });
});

describe('topFrameOrigin', () => {
  const tab = { id: 7 };
  it('uses the browser-reported origin of a top frame in a tab', () => {
    assert.equal(
      topFrameOrigin({ origin: 'https://shop.example', url: 'https://shop.example/a', frameId: 0, tab }),
      'https://shop.example',
    );
  });
  it('falls back to the URL origin where the browser gives none (Firefox)', () => {
    assert.equal(topFrameOrigin({ url: 'https://shop.example/cart?x=1', frameId: 0, tab }), 'https://shop.example');
  });
  it('refuses frames, tabless senders and opaque origins', () => {
    assert.equal(topFrameOrigin({ origin: 'https://shop.example', frameId: 3, tab }), null);
    assert.equal(topFrameOrigin({ origin: 'https://shop.example', frameId: 0 }), null);
    assert.equal(topFrameOrigin({ origin: 'null', url: 'https://shop.example/', frameId: 0, tab }), null);
    assert.equal(topFrameOrigin({ url: 'file:///etc/passwd', frameId: 0, tab }), null);
    assert.equal(topFrameOrigin({ frameId: 0, tab }), null);
  });
});

describe('isExtensionPageSender', () => {
  const base = 'chrome-extension://abcdef/';
  it('accepts the extension’s own pages', () => {
    assert.equal(isExtensionPageSender({ id: 'abcdef', url: `${base}popup.html` }, 'abcdef', base), true);
    assert.equal(
      isExtensionPageSender(
        {
          id: 'abcdef',
          url: `${base}consent.html?request=1`,
          origin: 'chrome-extension://abcdef',
          tab: { id: 1 },
          frameId: 0,
        },
        'abcdef',
        base,
      ),
      true,
    );
  });
  it('refuses content scripts and other extensions', () => {
    assert.equal(
      isExtensionPageSender(
        { id: 'abcdef', url: 'https://shop.example/', origin: 'https://shop.example', tab: { id: 1 }, frameId: 0 },
        'abcdef',
        base,
      ),
      false,
    );
    assert.equal(isExtensionPageSender({ id: 'other', url: `${base}popup.html` }, 'abcdef', base), false);
    assert.equal(
      isExtensionPageSender({ id: 'abcdef', url: `${base}popup.html`, origin: 'https://shop.example' }, 'abcdef', base),
      false,
    );
    assert.equal(isExtensionPageSender({ id: 'abcdef' }, 'abcdef', base), false);
  });
});
