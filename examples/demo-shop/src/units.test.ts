import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BenefitClaim } from '@clubpass/shared';
import { ConfigError, loadShopConfig } from './config.js';
import { html } from './html.js';
import { memberPrice } from './pricing.js';

describe('html', () => {
  test('escapes every interpolation unless it is already html', () => {
    const name = `<img src=x onerror="alert('x')">&`;
    assert.equal(
      html`<p title="${name}">${name}</p>`.value,
      '<p title="&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;</p>',
    );
    assert.equal(html`<ul>${['<a>', html`<li>b</li>`]}</ul>`.value, '<ul>&lt;a&gt;<li>b</li></ul>');
    assert.equal(html`${null}${undefined}${false}${0}`.value, '0');
  });
});

describe('memberPrice', () => {
  const price = { amount: 8900, currency: 'EUR' };
  const benefit = (kind: BenefitClaim['kind'], terms: BenefitClaim['terms']): BenefitClaim => ({
    id: 'ben_x',
    kind,
    title: 't',
    terms,
  });

  test('percent off rounds to the minor unit', () => {
    assert.deepEqual(memberPrice(price, benefit('product_discount', { percent_off: 15 })), {
      amount: 7565,
      currency: 'EUR',
    });
    assert.deepEqual(memberPrice({ amount: 999, currency: 'EUR' }, benefit('product_discount', { percent_off: 33 })), {
      amount: 669,
      currency: 'EUR',
    });
  });

  test('amount off never goes below zero and never converts currencies', () => {
    const off = (amount: number, currency = 'EUR') => benefit('product_discount', { amount_off: { amount, currency } });
    assert.deepEqual(memberPrice(price, off(1000)), { amount: 7900, currency: 'EUR' });
    assert.deepEqual(memberPrice(price, off(10000)), { amount: 0, currency: 'EUR' });
    assert.equal(memberPrice(price, off(1000, 'USD')), null);
  });

  test('free goods cost nothing; a benefit without a price effect changes nothing', () => {
    assert.deepEqual(memberPrice(price, benefit('free_goods', { description: 'a coffee' })), {
      amount: 0,
      currency: 'EUR',
    });
    assert.equal(memberPrice(price, benefit('exclusive_access', { access_url: 'https://x.example' })), null);
  });
});

describe('loadShopConfig', () => {
  const env = {
    CLUB_URL: 'http://127.0.0.1:8080/',
    AFFILIATE_ID: 'aff_abcdefghijkl',
    AFFILIATE_API_KEY: 'cpk_secret',
  };

  test('defaults: shop mode on 3001, public origin from host and port, data under ./data/shop', () => {
    const config = loadShopConfig(env, '/srv');
    assert.equal(config.merchant.mode, 'shop');
    assert.equal(config.port, 3001);
    assert.equal(config.clubUrl, 'http://127.0.0.1:8080');
    assert.equal(config.publicOrigin, 'http://127.0.0.1:3001');
    assert.equal(config.dataDir, '/srv/data/shop');
    assert.equal(loadShopConfig({ ...env, SHOP_MODE: 'cafe' }, '/srv').port, 3002);
  });

  test('every bad or missing value names its variable', () => {
    const cases: [Record<string, string | undefined>, RegExp][] = [
      [{ CLUB_URL: undefined }, /^CLUB_URL is not set/],
      [{ CLUB_URL: 'ftp://club' }, /^CLUB_URL must be an http\(s\) URL/],
      [{ AFFILIATE_ID: 'shop' }, /^AFFILIATE_ID="shop" does not look like an affiliate id/],
      [{ AFFILIATE_API_KEY: ' ' }, /^AFFILIATE_API_KEY is not set/],
      [{ PORT: '80a' }, /^PORT="80a" is not a TCP port/],
      [{ SHOP_MODE: 'bakery' }, /^SHOP_MODE="bakery" is not known/],
      [{ PUBLIC_ORIGIN: 'https://shop.example/path' }, /^PUBLIC_ORIGIN=.* must be an origin only/],
    ];
    for (const [change, message] of cases) {
      assert.throws(
        () => loadShopConfig({ ...env, ...change }, '/srv'),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, message);
          return true;
        },
      );
    }
  });
});
