import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isLoopbackHost, redeemUrlProblem, webOriginProblem, webUrlProblem } from './web-origin.js';

// The extension compares a page's origin with registered ones as exact strings (PROTOCOL.md §9),
// so only the form a browser serializes is accepted; everything else names the form to use.

describe('webOriginProblem', () => {
  for (const bad of [
    'http://example.com', // plain http off loopback
    'http://shop.example:8080',
    'http://localhost.evil.example',
    'http://127.0.0.1.evil.example',
    'http://[::ffff:127.0.0.1]',
    'http://10.0.0.1',
    'https://shop.example/', // trailing slash
    'https://shop.example/path',
    'https://shop.example?x=1',
    'https://shop.example#top',
    'https://user@shop.example',
    'https://user:pw@shop.example',
    'https://Shop.Example', // upper case host
    'HTTPS://shop.example',
    'https://shop.example:443', // default port
    'http://localhost:80',
    'https://bücher.example', // browsers serialize the punycode form
    'https://0x7f.0.0.1',
    'http://127.1',
    ' https://shop.example',
    'https://shop.example ',
    'ftp://shop.example',
    'javascript:alert(1)',
    'data:text/html,hi',
    'file:///etc/passwd',
    'shop.example',
    '',
    'null',
  ]) {
    test(`rejects ${JSON.stringify(bad)}`, () => {
      assert.notEqual(webOriginProblem(bad), null);
    });
  }

  for (const good of [
    'https://shop.example',
    'https://shop.example:8443',
    'https://xn--bcher-kva.example',
    'https://203.0.113.7',
    'https://[2001:db8::1]',
    'http://127.0.0.1:3000',
    'http://127.255.0.9',
    'http://localhost',
    'http://localhost:5173',
    'http://[::1]:8080',
    'https://localhost:8443',
  ]) {
    test(`accepts ${good}`, () => {
      assert.equal(webOriginProblem(good), null);
    });
  }

  test('the message names the exact form to use', () => {
    assert.match(webOriginProblem('https://Shop.example:443/') ?? '', /https:\/\/shop\.example /);
  });
});

describe('isLoopbackHost', () => {
  test('is localhost, 127.0.0.0/8 and [::1] only', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]']) assert.equal(isLoopbackHost(host), true, host);
    for (const host of ['localhost.', 'a.localhost', '128.0.0.1', '[::2]', '0.0.0.0', '::1']) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });
});

describe('redeemUrlProblem', () => {
  const origins = ['https://shop.example', 'http://127.0.0.1:3000'];

  test('accepts a URL on one of the origins, with a path and query', () => {
    assert.equal(redeemUrlProblem('https://shop.example/clubpass/redeem?src=club', origins), null);
    assert.equal(redeemUrlProblem('http://127.0.0.1:3000/redeem', origins), null);
    assert.equal(redeemUrlProblem('https://shop.example', origins), null);
  });

  test('rejects a URL on another origin, even one that only looks alike', () => {
    for (const url of [
      'https://evil.example/redeem',
      'https://shop.example.evil.example/redeem',
      'https://shop.example:8443/redeem',
      'http://shop.example/redeem',
      'https://SHOP.example/redeem',
      'https://shop.example@evil.example/redeem',
      'https://user@shop.example/redeem',
    ]) {
      assert.notEqual(redeemUrlProblem(url, origins), null, url);
    }
  });

  test('rejects a fragment, which the club fills with the credential', () => {
    assert.notEqual(redeemUrlProblem('https://shop.example/redeem#x', origins), null);
    assert.notEqual(redeemUrlProblem('https://shop.example/redeem#', origins), null);
  });
});

describe('webUrlProblem', () => {
  test('https anywhere, http on loopback only, no user info', () => {
    assert.equal(webUrlProblem('https://members.shop.example/lounge'), null);
    assert.equal(webUrlProblem('http://localhost:3000/lounge'), null);
    assert.notEqual(webUrlProblem('http://members.shop.example/lounge'), null);
    assert.notEqual(webUrlProblem('javascript:alert(1)'), null);
    assert.notEqual(webUrlProblem('https://a:b@members.shop.example/'), null);
    assert.notEqual(webUrlProblem('not a url'), null);
  });
});
