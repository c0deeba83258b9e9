import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type HeldCredential,
  issueHeldCredential,
  presentAs,
} from '../../../backend/src/test-support/redemption-fixture.js';
import { signUpMember, type TestMember } from '../../../backend/src/test-support/test-accounts.js';
import { startTestBackend, type TestBackend } from '../../../backend/src/test-support/test-backend.js';
import { startTestShop, type TestBrowser, type TestShop, testId } from './test-support.js';

const CAFE_ORIGIN = 'https://cafe.example';

describe('demo café (same app, SHOP_MODE=cafe) beside the shop', () => {
  let backend: TestBackend;
  let cafe: TestShop;
  let shop: TestShop;
  let member: TestMember;

  before(async () => {
    backend = await startTestBackend('sqlite');
    cafe = await startTestShop(backend, { mode: 'cafe', origin: CAFE_ORIGIN });
    shop = await startTestShop(backend, { mode: 'shop' });
    // A name with markup in it: every page must show it as text.
    member = await signUpMember(backend, { given_name: '<b>Bo</b>' });
  });
  after(async () => {
    await cafe.close();
    await shop.close();
    await backend.close();
  });

  async function show(browser: TestBrowser, held: HeldCredential) {
    const { json } = await browser.postJson('/api/nonce');
    const presentation = await presentAs(backend, held, { nonce: json.nonce, origin: CAFE_ORIGIN }, ['given_name']);
    return browser.postJson('/api/verify', { presentation, nonce: json.nonce });
  }

  test('a different merchant: its own name, product and copy', async () => {
    const page = await cafe.browser().get('/');
    assert.match(page.text, /data-testid="merchant-cafe"/);
    assert.match(page.text, /Café Luma/);
    assert.equal(testId(page.text, 'product-name'), 'Flat white');
    assert.equal(testId(page.text, 'list-price'), '€3.40');
    assert.match(page.text, /data-disclose="given_name"/, 'asks for the first name only');
  });

  test('a free coffee: member price 0, only a name at checkout, escaped everywhere', async () => {
    const held = await issueHeldCredential(backend, cafe.benefitId, { member });
    const browser = cafe.browser();
    const verified = await show(browser, held);
    assert.equal(verified.status, 200, JSON.stringify(verified.json));

    const product = await browser.get('/');
    assert.equal(testId(product.text, 'member-price'), '€0.00');
    assert.ok(product.text.includes('Welcome, &lt;b&gt;Bo&lt;/b&gt;!'));
    assert.ok(!product.text.includes('<b>Bo</b>'));

    const checkout = await browser.get('/checkout');
    assert.ok(checkout.text.includes('value="&lt;b&gt;Bo&lt;/b&gt;"'));
    assert.doesNotMatch(checkout.text, /data-testid="street-address"/, 'nothing is shipped');

    const placed = await browser.postForm('/checkout', { given_name: '<b>Bo</b>' });
    assert.equal(placed.status, 303, placed.text);
    const confirmation = await browser.get(placed.location as string);
    assert.equal(testId(confirmation.text, 'order-total'), '€0.00');
    assert.equal(testId(confirmation.text, 'billing-amount'), '€2.50');
    assert.ok(!confirmation.text.includes('<b>Bo</b>'));
  });

  test("the shop's credential is refused at the café: it is for another merchant", async () => {
    const held = await issueHeldCredential(backend, shop.benefitId, { member });
    const refused = await show(cafe.browser(), held);
    assert.equal(refused.status, 403);
    assert.equal(refused.json.error.code, 'wrong_audience');
    assert.equal(refused.json.error.message, 'This membership benefit is for another merchant.');
  });

  test('orders and bills are kept apart: each merchant has its own database', async () => {
    const cafeOrders = await cafe.db.selectFrom('orders').select('product').execute();
    assert.ok(cafeOrders.every((o) => o.product === 'Flat white'));
    const staff = cafe.browser();
    const billed = await staff.postForm('/orders/bill', {});
    assert.match(billed.location ?? '', /^\/invoices\/inv_/);
    const invoice = await staff.get(billed.location as string);
    assert.equal(testId(invoice.text, 'invoice-total'), '€2.50');
  });
});
