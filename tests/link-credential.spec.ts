import { expect, test } from '@playwright/test';
import { snap } from './support/artifacts.js';
import { newMember } from './support/club-api.js';
import { type Network, startNetwork } from './support/network.js';
import { readPresentation } from './support/presentation.js';

// A member without the extension (PROTOCOL.md §9): the club gives them a link credential (no
// holder key, always a PIN), the link opens the shop's redeem_url with the credential in the URL
// fragment, and the member redeems it there with their PIN, once.

const PIN = '2468';
const NOT_SHARED =
  'No Clubpass membership was shared. If you are a member, install the Clubpass extension and sign in, then try again.';

let network: Network;

test.beforeAll(async () => {
  network = await startNetwork();
});

test.afterAll(async () => {
  await network?.stop();
});

test('a member without the extension redeems a link credential with their PIN, once', async ({ browser }) => {
  const testInfo = test.info();
  const { api, shop } = network;
  const member = newMember('link');
  await api.expect(201, 'POST', '/v1/members', { body: member });
  const token = await api.signIn(member.email, member.password);
  // A plain browser: no extension installed.
  const context = await browser.newContext({ viewport: { width: 1000, height: 760 } });
  const page = await context.newPage();

  await test.step('without the extension, the product page says no membership was shared', async () => {
    await page.goto(shop.origin);
    await page.getByTestId('use-membership').click();
    await expect(page.getByTestId('membership-error')).toHaveText(NOT_SHARED);
    await snap(testInfo, page, '01-shop-no-extension');
  });

  let link = '';
  await test.step('the club issues a link credential: no holder key, a PIN, a link to the shop', async () => {
    // Without a PIN the club refuses to issue a link credential.
    const noPin = await api.call('POST', '/v1/credentials', { token, body: { benefit_id: shop.benefitId } });
    expect(noPin.status).toBe(400);
    const issued = await api.expect(201, 'POST', '/v1/credentials', {
      token,
      body: { benefit_id: shop.benefitId, pin: PIN },
    });
    link = issued.link;
    expect(link).toBe(`${shop.origin}/redeem#clubpass=${issued.credential}`);
    const credential = readPresentation(issued.credential);
    expect(credential.payload.cnf).toBeUndefined();
    expect(credential.payload.pin).toBe(true);
    expect(credential.payload.aud).toBe(shop.affiliateId);
    expect(credential.keyBinding).toBeNull();
  });

  await test.step('the link opens the redeem page, prefilled, with the credential gone from the address bar', async () => {
    await page.goto(link);
    await expect(page.getByTestId('redeem-form')).toBeVisible();
    await expect(page.getByTestId('redeem-benefit')).toHaveText(shop.benefitTitle);
    await expect(page).toHaveURL(`${shop.origin}/redeem`);
    for (const detail of ['given-name', 'family-name', 'address']) {
      await expect(page.getByTestId(`share-${detail}`)).toBeChecked();
    }
    await expect(page.getByTestId('given-name')).toHaveValue(member.given_name);
    await expect(page.getByTestId('street-address')).toHaveValue(member.address.street_address);
    await expect(page.getByTestId('country')).toHaveValue(member.address.country);
    await snap(testInfo, page, '02-redeem-page');
  });

  await test.step('a wrong PIN is refused', async () => {
    // The member keeps their last name to themselves.
    await page.getByTestId('share-family-name').uncheck();
    await page.getByTestId('pin').fill('1357');
    await page.getByTestId('redeem-button').click();
    await expect(page.getByTestId('redeem-error')).toBeVisible();
    await expect(page.getByTestId('redeem-error')).toHaveText(/^That PIN is not right/);
    await expect(page).toHaveURL(`${shop.origin}/redeem`);
    await snap(testInfo, page, '03-redeem-wrong-pin');
  });

  let redemptionId = '';
  await test.step('the right PIN redeems it: confirmation with a verified receipt', async () => {
    await expect(page.getByTestId('share-family-name')).not.toBeChecked();
    await page.getByTestId('pin').fill(PIN);
    await page.getByTestId('redeem-button').click();
    await expect(page.getByTestId('order-confirmation')).toBeVisible();
    await expect(page.getByTestId('receipt-verified')).toBeVisible();
    await expect(page.getByTestId('order-total')).toHaveText('€75.65');
    await expect(page.getByTestId('order-address')).toContainText(member.address.street_address);
    redemptionId = (await page.getByTestId('redemption-id').textContent()) ?? '';
    expect(redemptionId).toMatch(/^red_/);
    await snap(testInfo, page, '04-redeem-confirmation');
  });

  await test.step('the club has it redeemed, with exactly the chosen details', async () => {
    const credentials = await api.expect(200, 'GET', '/v1/credentials', { token });
    expect(credentials.data).toHaveLength(1);
    expect(credentials.data[0].status).toBe('redeemed');
    const redemptions = await api.expect(200, 'GET', '/v1/admin/redemptions', { token: network.adminToken });
    expect(redemptions.data).toHaveLength(1);
    expect(redemptions.data[0].id).toBe(redemptionId);
    expect(redemptions.data[0].disclosed).toEqual({ given_name: member.given_name, address: member.address });
  });

  await test.step('the same link again is refused: already used', async () => {
    await page.goto(link);
    await expect(page.getByTestId('redeem-form')).toBeVisible();
    await page.getByTestId('pin').fill(PIN);
    await page.getByTestId('redeem-button').click();
    await expect(page.getByTestId('redeem-error')).toHaveText('This membership benefit has already been used.');
    await snap(testInfo, page, '05-redeem-already-used');
    const redemptions = await api.expect(200, 'GET', '/v1/admin/redemptions', { token: network.adminToken });
    expect(redemptions.data).toHaveLength(1);
  });
  await context.close();
});
