import { expect, type Page, test } from '@playwright/test';
import { snap } from './support/artifacts.js';
import { newMember } from './support/club-api.js';
import {
  consentFor,
  type ExtensionBrowser,
  getBenefitInPopup,
  launchWithExtension,
  openPopup,
  setClubUrl,
  signInInPopup,
  signUpInPopup,
} from './support/extension-browser.js';
import { type Network, startNetwork } from './support/network.js';
import { readPresentation } from './support/presentation.js';

// The whole member journey with the real pieces: the club and the demo shop as their own
// processes, Debian's Chromium with the built extension, the member driving the popup, the shop
// and the extension's consent window.

const LIST_PRICE = '€89.00';
const MEMBER_PRICE = '€75.65'; // 15 % off
const SHOP_COOKIE = 'shop_session';
const NOT_SHARED =
  'No Clubpass membership was shared. If you are a member, install the Clubpass extension and sign in, then try again.';

let network: Network;
let ext: ExtensionBrowser;

test.beforeAll(async () => {
  network = await startNetwork();
  ext = await launchWithExtension();
  // The extension talks to the demo club on 127.0.0.1:8080 unless told otherwise.
  await (await setClubUrl(ext, network.club.url, 1)).close();
});

test.afterAll(async () => {
  try {
    await ext?.close();
  } finally {
    await network?.stop();
  }
});

/** The shop's product page in a tab; POST /api/verify bodies (what the shop received) are collected. */
async function openShop(): Promise<{ page: Page; verified: { presentation: string; nonce: string }[] }> {
  const page = await ext.context.newPage();
  const verified: { presentation: string; nonce: string }[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/verify') {
      verified.push(request.postDataJSON());
    }
  });
  await page.goto(network.shop.origin);
  await expect(page.getByTestId('product-name')).toHaveText('Merino wool scarf');
  return { page, verified };
}

/** Clicks "Use my Clubpass membership", shares in the consent window, and waits for the member price. */
async function showMembership(shop: Page): Promise<void> {
  const consent = await consentFor(ext, () => shop.getByTestId('use-membership').click());
  const closed = consent.waitForEvent('close');
  await consent.getByTestId('consent-share').click();
  await closed;
  await expect(shop.getByTestId('member-price')).toHaveText(MEMBER_PRICE);
}

test('a member signs up in the extension, shares only their address with the shop, and the benefit is used once', async () => {
  const testInfo = test.info();
  const member = newMember('journey');
  const { shop, api } = network;

  await test.step('the options page shows the test club and its verified partner list', async () => {
    const options = await ext.context.newPage();
    await options.setViewportSize({ width: 760, height: 720 });
    await options.goto(ext.url('options.html'));
    await expect(options.getByTestId('options-club-url')).toHaveValue(network.club.url);
    await expect(options.getByTestId('options-partner-count')).toHaveText('1');
    await expect(options.getByTestId('options-holder-key')).toBeVisible();
    await snap(testInfo, options, '01-options-club-set');
    await options.close();
  });

  const popup = await openPopup(ext);
  await test.step('sign up in the popup', async () => {
    await expect(popup.getByTestId('signin-form')).toBeVisible();
    await snap(testInfo, popup, '02-popup-signin');
    await signUpInPopup(popup, member);
    await snap(testInfo, popup, '03-popup-signup-filled');
    await popup.getByTestId('signup-submit').click();
    await expect(popup.getByTestId('catalog-list')).toBeVisible();
    await expect(popup.getByTestId('member-name')).toHaveText('Ada Lovelace');
    await expect(popup.getByTestId('member-number')).toHaveText(/CP-\d{10}/);
    await snap(testInfo, popup, '04-popup-catalog');
  });

  await test.step("get the shop's benefit", async () => {
    const item = popup.locator(`[data-testid="catalog-item"][data-benefit-id="${shop.benefitId}"]`);
    await expect(item.getByTestId('catalog-item-title')).toHaveText(shop.benefitTitle);
    await expect(item.getByTestId('catalog-item-affiliate')).toContainText('Hollow Pine Goods');
    await getBenefitInPopup(popup, shop.benefitId);
    await popup.getByTestId('tab-credentials').click();
    const credential = popup.getByTestId('credential-item');
    await expect(credential).toHaveCount(1);
    await expect(credential).toHaveAttribute('data-status', 'issued');
    await expect(credential).toHaveAttribute('data-usable', 'true');
    await snap(testInfo, popup, '05-popup-credential-ready');
  });

  const { page, verified } = await openShop();
  await test.step('open the shop: list price, and the Clubpass button', async () => {
    await expect(page.getByTestId('list-price')).toHaveText(LIST_PRICE);
    await expect(page.getByTestId('use-membership')).toHaveText('Use my Clubpass membership');
    await snap(testInfo, page, '06-shop-product');
  });

  await test.step('consent in the extension window, sharing only the address', async () => {
    const consent = await consentFor(ext, () => page.getByTestId('use-membership').click());
    await expect(consent.getByTestId('consent-affiliate')).toHaveText('Hollow Pine Goods');
    await expect(consent.getByTestId('consent-origin')).toHaveText(shop.origin);
    await expect(consent.getByTestId('consent-benefit')).toHaveText(shop.benefitTitle);
    for (const claim of ['given_name', 'family_name', 'address']) {
      await expect(consent.getByTestId(`consent-detail-${claim}`)).toBeChecked();
    }
    await consent.getByTestId('consent-detail-given_name').uncheck();
    await consent.getByTestId('consent-detail-family_name').uncheck();
    await expect(consent.getByTestId('consent-detail-address')).toBeChecked();
    await expect(consent.getByTestId('consent-detail-given_name')).not.toBeChecked();
    await expect(consent.getByTestId('consent-detail-family_name')).not.toBeChecked();
    // The shop says it needs the names; the member is warned and may share less anyway.
    await expect(consent.getByTestId('consent-required-warning')).toBeVisible();
    await expect(consent.getByTestId('consent-share')).toBeEnabled();
    await snap(testInfo, consent, '07-consent-address-only', false);
    const closed = consent.waitForEvent('close');
    await consent.getByTestId('consent-share').click();
    await closed;
  });

  await test.step('the member price is shown', async () => {
    await expect(page.getByTestId('member-price')).toHaveText(MEMBER_PRICE);
    await expect(page.getByTestId('membership-active')).toBeVisible();
    await expect(page.getByTestId('benefit-title')).toHaveText(shop.benefitTitle);
    await snap(testInfo, page, '08-shop-member-price');
    // What the page handed its server: the address only, bound to this origin and the shop's nonce.
    expect(verified).toHaveLength(1);
    const shown = readPresentation(verified[0]!.presentation);
    expect(shown.disclosed).toEqual(['address']);
    expect(shown.payload.aud).toBe(shop.affiliateId);
    expect(shown.keyBinding?.header.typ).toBe('kb+jwt');
    expect(shown.keyBinding?.payload.aud).toBe(shop.origin);
    expect(shown.keyBinding?.payload.nonce).toBe(verified[0]!.nonce);
  });

  let redemptionId = '';
  await test.step('checkout is prefilled with the address (and not the names)', async () => {
    await page.getByTestId('buy-button').click();
    await expect(page.getByTestId('checkout-form')).toBeVisible();
    await expect(page.getByTestId('street-address')).toHaveValue(member.address.street_address);
    await expect(page.getByTestId('postal-code')).toHaveValue(member.address.postal_code);
    await expect(page.getByTestId('locality')).toHaveValue(member.address.locality);
    await expect(page.getByTestId('country')).toHaveValue(member.address.country);
    await expect(page.getByTestId('given-name')).toHaveValue('');
    await expect(page.getByTestId('family-name')).toHaveValue('');
    await expect(page.getByTestId('summary-benefit')).toContainText(shop.benefitTitle);
    await expect(page.getByTestId('order-total')).toHaveText(MEMBER_PRICE);
    await snap(testInfo, page, '09-checkout-prefilled');
    // The member types the names they chose not to share.
    await page.getByTestId('given-name').fill('Ada');
    await page.getByTestId('family-name').fill('Lovelace');
    await page.getByTestId('place-order').click();
  });

  await test.step('the order is placed: confirmation with a verified club receipt', async () => {
    await expect(page.getByTestId('order-confirmation')).toBeVisible();
    await expect(page.getByTestId('receipt-verified')).toBeVisible();
    await expect(page.getByTestId('order-total')).toHaveText(MEMBER_PRICE);
    await expect(page.getByTestId('order-list-price')).toHaveText(LIST_PRICE);
    await expect(page.getByTestId('order-address')).toContainText(member.address.street_address);
    await expect(page.getByTestId('receipt-issuer')).toHaveText(network.club.url);
    await expect(page.getByTestId('billing-amount')).toHaveText('€3.00');
    redemptionId = (await page.getByTestId('redemption-id').textContent()) ?? '';
    expect(redemptionId).toMatch(/^red_/);
    await snap(testInfo, page, '10-shop-order-confirmation');
  });

  await test.step('the club shows the credential redeemed, with the address and no names disclosed', async () => {
    const token = await api.signIn(member.email, member.password);
    const credentials = await api.expect(200, 'GET', '/v1/credentials', { token });
    expect(credentials.data).toHaveLength(1);
    expect(credentials.data[0]).toMatchObject({ status: 'redeemed', benefit: { id: shop.benefitId } });
    expect(credentials.data[0].redeemed_at).toEqual(expect.any(String));

    const redemptions = await api.expect(200, 'GET', `/v1/admin/redemptions?affiliate_id=${shop.affiliateId}`, {
      token: network.adminToken,
    });
    expect(redemptions.data).toHaveLength(1);
    const redemption = redemptions.data[0];
    expect(redemption.id).toBe(redemptionId);
    expect(redemption.credential_id).toBe(credentials.data[0].id);
    expect(redemption.disclosed).toEqual({ address: member.address });
    expect(redemption.disclosed).not.toHaveProperty('given_name');
    expect(redemption.disclosed).not.toHaveProperty('family_name');
    expect(redemption.order_total).toEqual({ amount: 7565, currency: 'EUR' });

    // The shop's own ledger lists the order against the same redemption.
    const orders = await ext.context.newPage();
    await orders.goto(`${shop.origin}/orders`);
    await expect(orders.locator(`[data-testid="order-row"][data-redemption-id="${redemptionId}"]`)).toBeVisible();
    await orders.close();
  });

  await test.step('"My credentials" in the popup shows it used', async () => {
    await popup.bringToFront();
    await popup.reload();
    await popup.getByTestId('tab-credentials').click();
    const credential = popup.getByTestId('credential-item');
    await expect(credential).toHaveAttribute('data-status', 'redeemed');
    await expect(credential).toHaveAttribute('data-usable', 'false');
    await expect(credential.getByTestId('credential-receipt')).toBeVisible();
    await snap(testInfo, popup, '11-popup-credential-used');
  });

  await test.step('a second attempt: nothing usable in the extension, and the shop says no membership was shared', async () => {
    await page.getByTestId('continue-shopping').click();
    await expect(page.getByTestId('list-price')).toHaveText(LIST_PRICE);
    await expect(page.getByTestId('member-price')).toHaveCount(0);
    const consent = await consentFor(ext, () => page.getByTestId('use-membership').click());
    // The used credential is not offered; getting another one is over the benefit's limit.
    await expect(consent.getByTestId('consent-empty')).toBeVisible();
    await expect(consent.getByTestId('consent-share')).toHaveCount(0);
    await consent.getByTestId('consent-get').click();
    await expect(consent.getByTestId('consent-get-error')).toBeVisible();
    await expect(consent.getByTestId('consent-get-error')).toHaveAttribute('data-code', 'limit_reached');
    await snap(testInfo, consent, '12-consent-nothing-usable', false);
    const closed = consent.waitForEvent('close');
    await consent.getByTestId('consent-decline').click();
    await closed;
    await expect(page.getByTestId('membership-error')).toHaveText(NOT_SHARED);
    await expect(page.getByTestId('member-price')).toHaveCount(0);
    await snap(testInfo, page, '13-shop-second-attempt-refused');
    const redemptions = await api.expect(200, 'GET', '/v1/admin/redemptions', { token: network.adminToken });
    expect(redemptions.data).toHaveLength(1);
  });
  await page.close();
  await popup.close();
});

test('a benefit shown in two browser sessions is redeemed once: the other checkout is told it was used', async () => {
  const testInfo = test.info();
  const { shop, api } = network;
  const member = newMember('twice');
  await api.expect(201, 'POST', '/v1/members', { body: member });

  await test.step('another member signs in and gets the benefit', async () => {
    const popup = await openPopup(ext);
    // Whoever was signed in on this browser before signs out first.
    await expect(popup.getByTestId('signin-form').or(popup.getByTestId('signout-button'))).toBeVisible();
    if (await popup.getByTestId('signout-button').isVisible()) await popup.getByTestId('signout-button').click();
    await signInInPopup(popup, member);
    await getBenefitInPopup(popup, shop.benefitId);
    await popup.close();
  });

  const { page } = await openShop();
  let first: Awaited<ReturnType<typeof ext.context.cookies>> = [];
  await test.step('shown in a first session: member price, order not placed yet', async () => {
    await showMembership(page);
    first = (await ext.context.cookies(shop.origin)).filter((c) => c.name === SHOP_COOKIE);
    expect(first).toHaveLength(1);
  });

  await test.step('shown again in a second session, and used there', async () => {
    await ext.context.clearCookies({ name: SHOP_COOKIE });
    await page.reload();
    await expect(page.getByTestId('use-membership')).toBeVisible();
    await showMembership(page);
    await page.getByTestId('buy-button').click();
    await page.getByTestId('place-order').click();
    await expect(page.getByTestId('receipt-verified')).toBeVisible();
  });

  await test.step('back in the first session, checkout is refused: already used', async () => {
    await ext.context.clearCookies({ name: SHOP_COOKIE });
    await ext.context.addCookies(first);
    await page.goto(`${shop.origin}/checkout`);
    await expect(page.getByTestId('summary-benefit')).toBeVisible();
    await expect(page.getByTestId('given-name')).toHaveValue(member.given_name);
    await page.getByTestId('place-order').click();
    await expect(page.getByTestId('checkout-error')).toHaveText('This membership benefit has already been used.');
    await expect(page.getByTestId('summary-benefit')).toHaveCount(0);
    await snap(testInfo, page, '01-shop-checkout-already-used');
  });

  await test.step('the club has exactly one redemption for that credential', async () => {
    const token = await api.signIn(member.email, member.password);
    const credentials = await api.expect(200, 'GET', '/v1/credentials', { token });
    expect(credentials.data).toHaveLength(1);
    expect(credentials.data[0].status).toBe('redeemed');
    const redemptions = await api.expect(200, 'GET', '/v1/admin/redemptions', { token: network.adminToken });
    expect(
      redemptions.data.filter((r: { credential_id: string }) => r.credential_id === credentials.data[0].id),
    ).toHaveLength(1);
  });
  await page.close();
});
