import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expiryText, formatDate, formatMoney, kindLabel, originHost, receiptSummary, termsHeadline } from './format.js';

describe('format', () => {
  it('formats money in minor units', () => {
    assert.equal(formatMoney({ amount: 500, currency: 'EUR' }), '€5.00');
    assert.equal(formatMoney({ amount: 500, currency: 'JPY' }), '¥500');
    assert.equal(formatMoney({ amount: 5.5, currency: 'EUR' }), null);
    assert.equal(formatMoney(null), null);
  });

  it('describes terms and kinds', () => {
    assert.equal(termsHeadline({ percent_off: 15 }), '15% off');
    assert.equal(termsHeadline({ amount_off: { amount: 1000, currency: 'USD' } }), '$10.00 off');
    assert.equal(termsHeadline({ description: 'x' }), null);
    assert.equal(kindLabel('product_discount'), 'Product discount');
    assert.equal(kindLabel('new_kind'), 'new kind');
  });

  it('formats dates and expiry', () => {
    const now = new Date('2026-06-01T12:00:00Z');
    assert.equal(formatDate('2026-12-03T15:04:05Z'), 'Dec 3, 2026');
    assert.equal(expiryText('2026-06-04T12:00:00Z', now), 'Expires in 3 days');
    assert.equal(expiryText('2026-06-01T15:00:00Z', now), 'Expires in 3 hours');
    assert.equal(expiryText('2026-05-30T12:00:00Z', now), 'Expired 2 days ago');
    assert.equal(formatDate('nope'), '');
  });

  it('shows hosts and receipt summaries', () => {
    assert.equal(originHost('https://shop.example'), 'shop.example');
    assert.equal(originHost('http://127.0.0.1:3001'), '127.0.0.1:3001');
    const payload = Buffer.from(JSON.stringify({ jti: 'red_1', amount: { amount: 250, currency: 'EUR' } })).toString(
      'base64url',
    );
    assert.deepEqual(receiptSummary(`h.${payload}.s`), { id: 'red_1', amount: '€2.50' });
    assert.deepEqual(receiptSummary('garbage'), { id: null, amount: null });
  });
});
