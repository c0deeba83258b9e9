import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { presentCredential } from '@clubpass/shared';
import {
  getNonce,
  type HeldCredential,
  issueHeldCredential,
  presentAs,
} from '../../../backend/src/test-support/redemption-fixture.js';
import { signUpMember, type TestMember } from '../../../backend/src/test-support/test-accounts.js';
import { startTestBackend, TEST_NOW, type TestBackend } from '../../../backend/src/test-support/test-backend.js';
import { SHOP_ORIGIN, startTestShop, type TestBrowser, type TestShop, testId } from './test-support.js';

const ADDRESS = { street_address: 'Hauptstraße 5', postal_code: '10115', locality: 'Berlin', country: 'DE' };
const SHIPPING = { given_name: 'Ada', family_name: 'Lovelace', ...ADDRESS };
const DISCLOSE = ['given_name', 'family_name', 'address'];

describe('demo shop against a real club', () => {
  let backend: TestBackend;
  let shop: TestShop;
  let member: TestMember;

  before(async () => {
    backend = await startTestBackend('sqlite');
    shop = await startTestShop(backend);
    member = await signUpMember(backend, { address: ADDRESS });
  });
  after(async () => {
    await shop.close();
    await backend.close();
  });
  beforeEach(() => {
    backend.clock.set(TEST_NOW);
    shop.clubCalls.length = 0;
  });

  const hold = (): Promise<HeldCredential> => issueHeldCredential(backend, shop.benefitId, { member });

  /** What product.js does: a nonce from the shop, a presentation from the "extension", /api/verify. */
  async function showMembership(browser: TestBrowser, held: HeldCredential) {
    const { json } = await browser.postJson('/api/nonce');
    const presentation = await presentAs(backend, held, { nonce: json.nonce, origin: SHOP_ORIGIN }, DISCLOSE);
    return browser.postJson('/api/verify', { presentation, nonce: json.nonce });
  }

  test('pages carry a strict CSP naming the club, and the snippet with our affiliate id', async () => {
    const page = await shop.browser().get('/');
    assert.equal(page.status, 200);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, new RegExp(`script-src 'self' ${backend.url.replaceAll('.', '\\.')}(;|$)`));
    assert.doesNotMatch(page.text, /<script>|<script [^>]*>[^<]+<\/script>|style="/, 'no inline script or style');
    assert.ok(
      page.text.includes(`<script src="${backend.url}/snippet/v1.js" data-affiliate="${shop.affiliate.id}" async>`),
    );
    assert.equal(testId(page.text, 'list-price'), '€89.00');
    assert.equal(testId(page.text, 'member-price'), null);
  });

  test('the API key never reaches the browser; the nonce comes from the club through the shop', async () => {
    const browser = shop.browser();
    const nonce = await browser.postJson('/api/nonce');
    assert.equal(nonce.status, 200);
    assert.equal(typeof nonce.json.nonce, 'string');
    assert.deepEqual(Object.keys(nonce.json), ['nonce']);
    assert.deepEqual(shop.clubCalls, ['POST /v1/nonces']);
    for (const path of ['/', '/checkout', '/redeem', '/static/product.js', '/static/redeem.js']) {
      assert.ok(!(await browser.get(path)).text.includes(shop.affiliate.apiKey), path);
    }
  });

  test('a POST without our Origin is refused (CSRF)', async () => {
    const response = await fetch(`${shop.url}/api/nonce`, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(response.status, 403);
    const noOrigin = await fetch(`${shop.url}/checkout`, { method: 'POST' });
    assert.equal(noOrigin.status, 403);
    assert.deepEqual(shop.clubCalls, []);
  });

  test('offline verification refuses a presentation for another origin or nonce, without asking the club', async () => {
    const held = await hold();
    const browser = shop.browser();
    const { json } = await browser.postJson('/api/nonce');

    const elsewhere = await presentAs(backend, held, { nonce: json.nonce, origin: 'https://evil.example' }, DISCLOSE);
    const wrongOrigin = await browser.postJson('/api/verify', { presentation: elsewhere, nonce: json.nonce });
    assert.equal(wrongOrigin.status, 401);
    assert.equal(wrongOrigin.json.error.code, 'origin_mismatch');
    assert.equal(wrongOrigin.json.error.message, 'This membership was presented to another website.');

    // A real nonce of this shop, but not the one this browser was given.
    const otherNonce = await getNonce(backend, shop.affiliate);
    const replayed = await presentAs(backend, held, { nonce: otherNonce, origin: SHOP_ORIGIN }, DISCLOSE);
    const wrongNonce = await browser.postJson('/api/verify', { presentation: replayed, nonce: json.nonce });
    assert.equal(wrongNonce.status, 401);
    assert.equal(wrongNonce.json.error.code, 'nonce_mismatch');

    // Claiming the other nonce in the body does not help: the shop expects the one it handed out.
    const claimed = await browser.postJson('/api/verify', { presentation: replayed, nonce: otherNonce });
    assert.equal(claimed.status, 401);
    assert.equal(claimed.json.error.code, 'nonce_invalid');

    assert.ok(!shop.clubCalls.includes('POST /v1/verifications'), 'the club was never asked to verify');
    const keyFetches = shop.clubCalls.filter((call) => call === 'GET /.well-known/jwks.json');
    assert.ok(keyFetches.length <= 1, 'the JWKS is fetched at most once, then cached as its max-age allows');
    assert.equal(testId((await browser.get('/')).text, 'member-price'), null, 'no member price');

    const right = await presentAs(backend, held, { nonce: json.nonce, origin: SHOP_ORIGIN }, DISCLOSE);
    const ok = await browser.postJson('/api/verify', { presentation: right, nonce: json.nonce });
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
    assert.ok(shop.clubCalls.includes('POST /v1/verifications'));
  });

  test('full order: member price, prefilled checkout, redemption recorded with its receipt; a second use is refused', async () => {
    const held = await hold();
    const browser = shop.browser();
    const verified = await showMembership(browser, held);
    assert.equal(verified.status, 200, JSON.stringify(verified.json));

    const product = await browser.get('/');
    assert.equal(testId(product.text, 'member-price'), '€75.65');
    assert.equal(testId(product.text, 'benefit-title'), '15 % off');
    assert.match(testId(product.text, 'membership-active') ?? '', /Welcome, Ada!/);

    const checkout = await browser.get('/checkout');
    assert.match(checkout.text, /data-testid="street-address"/);
    assert.ok(checkout.text.includes('value="Hauptstraße 5"'), 'prefilled from the disclosed address');
    assert.ok(checkout.text.includes('value="Lovelace"'));
    assert.equal(testId(checkout.text, 'order-total'), '€75.65');

    const placed = await browser.postForm('/checkout', { ...SHIPPING, locality: 'Potsdam' });
    assert.equal(placed.status, 303, placed.text);
    const orderId = /^\/orders\/(ord_[\w-]+)$/.exec(placed.location ?? '')?.[1];
    assert.ok(orderId, `redirected to the order, not ${placed.location}`);

    const confirmation = await browser.get(`/orders/${orderId}`);
    assert.equal(confirmation.status, 200);
    assert.equal(testId(confirmation.text, 'order-total'), '€75.65');
    assert.equal(testId(confirmation.text, 'order-list-price'), '€89.00');
    assert.match(testId(confirmation.text, 'receipt-verified') ?? '', /verified/);
    assert.equal(testId(confirmation.text, 'receipt-issuer'), 'https://club.test');
    assert.equal(testId(confirmation.text, 'receipt-amount'), '€3.00');
    assert.match(testId(confirmation.text, 'order-address') ?? '', /Potsdam/);

    const order = await shop.db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirstOrThrow();
    assert.equal(order.status, 'completed');
    assert.equal(order.via, 'extension');
    assert.equal(order.total, 7565);
    assert.equal(order.credential_id, held.credentialId);
    assert.match(order.redemption_id ?? '', /^red_/);
    assert.equal(order.billing_amount, 300);
    assert.equal(order.billing_currency, 'EUR');
    assert.ok(order.billing_ref);
    assert.ok(order.receipt);
    assert.equal(JSON.parse(order.receipt_claims ?? '{}').jti, order.redemption_id);
    assert.equal(testId(confirmation.text, 'redemption-id'), order.redemption_id);

    // The club's ledger has our order reference and total.
    const ledger = await backend.request('GET', '/v1/redemptions', { token: shop.affiliate.apiKey });
    const line = ledger.body.data.find((r: { id: string }) => r.id === order.redemption_id);
    assert.equal(line.order_ref, orderId);
    assert.deepEqual(line.order_total, { amount: 7565, currency: 'EUR' });

    // The member price is gone from this session once used.
    assert.equal(testId((await browser.get('/')).text, 'member-price'), null);

    // Showing the same credential again: the club says it is used, the shop says so plainly.
    const again = await showMembership(shop.browser(), held);
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'already_redeemed');
    assert.equal(again.json.error.message, 'This membership benefit has already been used.');
  });

  test('two tabs verify the same credential: the second order gets the already-used message', async () => {
    const held = await hold();
    const first = shop.browser();
    const second = shop.browser();
    assert.equal((await showMembership(first, held)).status, 200);
    assert.equal((await showMembership(second, held)).status, 200);
    assert.equal((await first.postForm('/checkout', SHIPPING)).status, 303);
    const refused = await second.postForm('/checkout', SHIPPING);
    assert.equal(refused.status, 409);
    assert.equal(testId(refused.text, 'checkout-error'), 'This membership benefit has already been used.');
    assert.equal(testId(refused.text, 'order-total'), '€89.00', 'back to the normal price');
    const failed = await shop.db.selectFrom('orders').select('failure_code').where('status', '=', 'failed').execute();
    assert.ok(failed.some((o) => o.failure_code === 'already_redeemed'));
  });

  test('a lost answer is retried with the same Idempotency-Key: the club replays, one redemption', async () => {
    const held = await hold();
    const browser = shop.browser();
    assert.equal((await showMembership(browser, held)).status, 200);
    shop.loseNextAnswer('/v1/redemptions');
    const lost = await browser.postForm('/checkout', SHIPPING);
    assert.equal(lost.status, 502);
    assert.equal(
      testId(lost.text, 'checkout-error'),
      'We could not reach the club just now. Please try again in a moment.',
    );
    const pending = await shop.db.selectFrom('orders').selectAll().where('status', '=', 'pending').execute();
    assert.equal(pending.length, 1);

    const retried = await browser.postForm('/checkout', SHIPPING);
    assert.equal(retried.status, 303, retried.text);
    assert.equal(retried.location, `/orders/${pending[0]?.id}`);
    const redemptions = await backend.database.db
      .selectFrom('redemptions')
      .select('id')
      .where('order_ref', '=', pending[0]?.id as string)
      .execute();
    assert.equal(redemptions.length, 1, 'redeemed once');
  });

  test('a membership check that ran out is not quietly charged the full price', async () => {
    const held = await hold();
    const browser = shop.browser();
    assert.equal((await showMembership(browser, held)).status, 200);
    backend.clock.advance(301); // past the KB-JWT's 300 s and the nonce's 5 minutes
    const late = await browser.postForm('/checkout', SHIPPING);
    assert.equal(late.status, 409);
    assert.equal(
      testId(late.text, 'checkout-error'),
      'This membership check has expired. Please use your membership again.',
    );
    assert.ok(!shop.clubCalls.includes('POST /v1/redemptions'));
    // Shown again, it works.
    backend.clock.set(TEST_NOW);
    assert.equal((await showMembership(browser, held)).status, 200);
    assert.equal((await browser.postForm('/checkout', SHIPPING)).status, 303);
  });

  test('an ordinary purchase without membership asks the club nothing', async () => {
    const browser = shop.browser();
    const placed = await browser.postForm('/checkout', SHIPPING);
    assert.equal(placed.status, 303);
    const page = await browser.get(placed.location as string);
    assert.equal(testId(page.text, 'order-total'), '€89.00');
    assert.equal(testId(page.text, 'receipt'), null);
    assert.deepEqual(shop.clubCalls, []);
  });

  test('checkout asks for missing shipping details', async () => {
    const page = await shop.browser().postForm('/checkout', { ...SHIPPING, street_address: ' ' });
    assert.equal(page.status, 422);
    assert.equal(testId(page.text, 'checkout-error'), 'Enter your street and number.');
    assert.ok(page.text.includes('value="Lovelace"'), 'keeps what was typed');
  });

  test('bill the club: an invoice of the unbilled redemptions, accepted, then marked billed', async () => {
    // A redemption the shop then voids at the club: the club will reject its line.
    const voided = shop.browser();
    assert.equal((await showMembership(voided, await hold())).status, 200);
    const voidedOrder = (await voided.postForm('/checkout', SHIPPING)).location?.split('/').pop() as string;
    const voidedRow = await shop.db
      .selectFrom('orders')
      .select('redemption_id')
      .where('id', '=', voidedOrder)
      .executeTakeFirstOrThrow();
    const voiding = await backend.request('POST', `/v1/redemptions/${voidedRow.redemption_id}/void`, {
      token: shop.affiliate.apiKey,
      body: { reason: 'returned' },
    });
    assert.equal(voiding.status, 200, JSON.stringify(voiding.body));

    const unbilledBefore = await shop.db
      .selectFrom('orders')
      .select('redemption_id')
      .where('redemption_id', 'is not', null)
      .where('invoice_id', 'is', null)
      .execute();
    assert.ok(unbilledBefore.length >= 2);

    const staff = shop.browser();
    const orders = await staff.get('/orders');
    assert.match(orders.text, new RegExp(`Bill the club \\(${unbilledBefore.length}\\)`));
    const billed = await staff.postForm('/orders/bill', {});
    assert.equal(billed.status, 303);
    const invoiceId = /^\/invoices\/(inv_[\w-]+)$/.exec(billed.location ?? '')?.[1];
    assert.ok(invoiceId, `redirected to the invoice, not ${billed.location}`);

    const invoice = await staff.get(`/invoices/${invoiceId}`);
    assert.equal(testId(invoice.text, 'invoice-status'), 'submitted');
    assert.equal(Number(testId(invoice.text, 'invoice-accepted-count')), unbilledBefore.length - 1);
    assert.equal(Number(testId(invoice.text, 'invoice-rejected-count')), 1);
    assert.match(invoice.text, /data-reason="voided">The redemption was voided</);
    assert.equal(testId(invoice.text, 'invoice-total'), `€${(3 * (unbilledBefore.length - 1)).toFixed(2)}`);

    const atClub = await backend.request('GET', `/v1/invoices/${invoiceId}`, { token: shop.affiliate.apiKey });
    assert.equal(atClub.status, 200);
    assert.equal(atClub.body.accepted.length, unbilledBefore.length - 1);

    const rows = await shop.db.selectFrom('orders').selectAll().where('redemption_id', 'is not', null).execute();
    for (const row of rows) {
      if (row.redemption_id === voidedRow.redemption_id) {
        assert.equal(row.invoice_id, null);
        assert.equal(row.billing_rejection, 'voided');
      } else assert.equal(row.invoice_id, invoiceId);
    }

    // Only the rejected line is left; once the shop gives it up, there is nothing to bill.
    await shop.db.deleteFrom('orders').where('redemption_id', '=', voidedRow.redemption_id).execute();
    const nothing = await staff.postForm('/orders/bill', {});
    assert.equal(nothing.location, '/orders?notice=none');
    assert.match(testId((await staff.get('/orders?notice=none')).text, 'billing-notice') ?? '', /nothing to bill/);
  });

  test('link credential (§9): the member picks what to share, a wrong PIN is refused, the right one redeems', async () => {
    const issued = await backend.request('POST', '/v1/credentials', {
      token: member.token,
      body: { benefit_id: shop.benefitId, pin: '2468' },
    });
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    assert.equal(issued.body.link.split('#')[0], `${SHOP_ORIGIN}/redeem`);

    const browser = shop.browser();
    const page = await browser.get('/redeem');
    assert.equal(page.status, 200);
    assert.match(page.text, /data-testid="redeem-form"/);
    assert.match(page.text, /<script src="\/static\/redeem\.js" defer><\/script>/);

    // What redeem.js sends: the credential cut to the ticked disclosures (here: names, no address).
    const presentation = await presentCredential({
      credential: issued.body.credential,
      disclose: ['given_name', 'family_name'],
      keyBinding: null,
    });
    const form = { presentation, ...SHIPPING };

    const noPin = await browser.postJson('/api/redeem-link', form);
    assert.equal(noPin.status, 400);
    assert.equal(noPin.json.error.code, 'pin_required');

    const wrong = await browser.postJson('/api/redeem-link', { ...form, pin: '1111' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json.error.code, 'pin_invalid');
    assert.match(wrong.json.error.message, /^That PIN is not right \(4 attempts left\)\.$/);

    const right = await browser.postJson('/api/redeem-link', { ...form, pin: '2468' });
    assert.equal(right.status, 200, JSON.stringify(right.json));
    const orderId = /^\/orders\/(ord_[\w-]+)$/.exec(right.json.redirect)?.[1] as string;
    const confirmation = await browser.get(right.json.redirect);
    assert.match(testId(confirmation.text, 'receipt-verified') ?? '', /verified/);

    const order = await shop.db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirstOrThrow();
    assert.equal(order.via, 'link');
    assert.equal(order.total, 7565);
    assert.equal(order.credential_id, issued.body.id);
    const atClub = await backend.database.db
      .selectFrom('redemptions')
      .select('disclosed')
      .where('id', '=', order.redemption_id as string)
      .executeTakeFirstOrThrow();
    const disclosed = typeof atClub.disclosed === 'string' ? JSON.parse(atClub.disclosed) : atClub.disclosed;
    assert.deepEqual(Object.keys(disclosed).sort(), ['family_name', 'given_name'], 'the address stayed private');

    const twice = await shop.browser().postJson('/api/redeem-link', { ...form, pin: '2468' });
    assert.equal(twice.status, 409);
    assert.equal(twice.json.error.message, 'This membership benefit has already been used.');
  });

  test('a holder-bound credential without its key binding is refused on the link path', async () => {
    const held = await hold();
    const answer = await shop
      .browser()
      .postJson('/api/redeem-link', { presentation: held.credential, pin: '1234', ...SHIPPING });
    assert.equal(answer.status, 401);
    assert.equal(answer.json.error.code, 'holder_binding_required');
  });
});
