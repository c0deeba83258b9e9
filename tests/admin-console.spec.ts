import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type GeneratedKeyPair, generateKeyPair, presentCredential } from '@clubpass/shared';
import { expect, type Page, type TestInfo, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type ClubProcess, startClubProcess } from './support/club-process.js';

// The admin console end to end, in Debian's Chromium against a real backend process: an admin
// signs in (with the keyboard alone), creates an affiliate and a benefit, sees the API key once,
// revokes a member's credential, approves an invoice and downloads its CSV, rotates the signing
// key, and finds every one of those on the audit page. Plus the refusals: a form without its
// CSRF token, a member's session, and an affiliate named like an XSS payload.

const XSS = '<img src=x onerror=alert(1)>';
const SHOP_ORIGIN = 'https://keyboard-shop.example';
const MEMBER_PASSWORD = 'member password 1234';

let club: ClubProcess;
const state: {
  affiliateId?: string;
  apiKey?: string;
  benefitId?: string;
  memberEmail?: string;
  memberToken?: string;
  revokeId?: string;
  redeemId?: string;
  redemptionId?: string;
  invoiceId?: string;
} = {};

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  club = await startClubProcess();
});

test.afterAll(async () => {
  await club?.stop();
});

/** A full-page screenshot, attached to the report and kept in the test's output folder. */
async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const body = await page.screenshot({ fullPage: true, path: testInfo.outputPath(`${name}.png`) });
  await testInfo.attach(name, { body, contentType: 'image/png' });
}

/** JSON to the club's API. */
async function api(method: string, path: string, body?: unknown, token?: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${club.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
}

/** Signs in through the form, with the mouse-free path a keyboard user takes. */
async function signIn(page: Page, email = ADMIN_EMAIL, password = ADMIN_PASSWORD): Promise<void> {
  await page.goto(`${club.url}/console/sign-in`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Presses Tab until the focused element matches, as a keyboard user would (bounded). */
async function tabTo(page: Page, matches: (el: { tag: string; name: string; text: string }) => boolean) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      return { tag: el?.tagName.toLowerCase() ?? '', name: el?.name ?? '', text: (el?.textContent ?? '').trim() };
    });
    if (matches(focused)) return;
  }
  throw new Error('the element was never reached with Tab');
}

/** Every visible form field of the page has an accessible name. */
async function expectLabelledFields(page: Page): Promise<void> {
  const fields = page.locator('input:not([type="hidden"]), select, textarea');
  const count = await fields.count();
  for (let i = 0; i < count; i++) await expect(fields.nth(i)).toHaveAccessibleName(/\S/);
}

test('an admin signs in and creates an affiliate with the keyboard alone; the API key is shown once', async ({
  page,
  context,
}, testInfo) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: club.url });
  await page.goto(`${club.url}/console`);
  await expect(page).toHaveURL(/\/console\/sign-in\?next=%2Fconsole$/);
  await expectLabelledFields(page);
  await shot(page, testInfo, '01-sign-in');

  // The e-mail field has focus on arrival; from there on, only the keyboard.
  await expect(page.getByLabel('E-mail address')).toBeFocused();
  await page.keyboard.type(ADMIN_EMAIL);
  await page.keyboard.press('Tab');
  await page.keyboard.type(ADMIN_PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
  await shot(page, testInfo, '02-dashboard-empty');

  await tabTo(page, (el) => el.tag === 'a' && el.text === 'Affiliates');
  // The focused link is visibly outlined.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
  expect(outline).not.toBe('none');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Affiliates', level: 1 })).toBeVisible();
  await expect(page.getByText('No affiliates yet')).toBeVisible();
  await tabTo(page, (el) => el.tag === 'a' && el.text === 'New affiliate');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'New affiliate', level: 1 })).toBeVisible();
  await tabTo(page, (el) => el.name === 'name');
  await page.keyboard.type('Keyboard Shop');
  await page.keyboard.press('Tab');
  await page.keyboard.type(SHOP_ORIGIN);
  await page.keyboard.press('Tab');
  await page.keyboard.type(`${SHOP_ORIGIN}/redeem`);
  await page.keyboard.press('Tab');
  await page.keyboard.type('partners@keyboard-shop.example');
  await tabTo(page, (el) => el.tag === 'button' && el.text === 'Create affiliate');
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { name: 'Affiliate created' })).toBeVisible();
  const keyField = page.getByLabel('API key for Keyboard Shop');
  const apiKey = await keyField.inputValue();
  expect(apiKey).toMatch(/^cpk_[A-Za-z0-9_-]{43}$/);
  await page.getByRole('button', { name: 'Copy' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText(/Copied to the clipboard|Select the key and copy it/)).toBeVisible();
  await shot(page, testInfo, '03-api-key-shown-once');
  // The page replaced its own URL: a reload shows the affiliate, never the key again.
  await expect(page).toHaveURL(/\/console\/affiliates\/aff_[A-Za-z0-9_-]+$/);
  state.affiliateId = /aff_[A-Za-z0-9_-]+$/.exec(page.url())?.[0];
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Keyboard Shop', level: 1 })).toBeVisible();
  expect(await page.content()).not.toContain(apiKey);
  await expect(page.getByText(`${apiKey.slice(0, 12)}…`)).toBeVisible();
  await shot(page, testInfo, '04-affiliate');
  state.apiKey = apiKey;
  expect((await api('POST', '/v1/nonces', undefined, apiKey)).status).toBe(201);
});

test('the admin creates a benefit; a wrong field is explained beside it', async ({ page }, testInfo) => {
  await signIn(page);
  await page.goto(`${club.url}/console/benefits/new?affiliate_id=${state.affiliateId}`);
  await expectLabelledFields(page);
  await page.getByLabel('Title').fill('10 % off everything');
  await page.getByLabel('Percent off').fill('10');
  await page.getByLabel('Price paid per redemption').fill('2.505');
  await page.getByLabel('Limit per member').fill('3');
  await page.getByLabel('Total limit').fill('1000');
  await page.getByLabel('Email').check();
  await page.getByRole('button', { name: 'Create benefit' }).click();
  await expect(page.getByText('Please correct this before saving')).toBeVisible();
  await expect(page.getByLabel('Price paid per redemption')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#f-price-error')).toHaveText('use at most 2 decimals');
  await shot(page, testInfo, '05-benefit-form-error');
  await page.getByLabel('Price paid per redemption').fill('2.50');
  await page.getByRole('button', { name: 'Create benefit' }).click();
  await expect(page.getByText('The benefit was created and is on offer.')).toBeVisible();
  await expect(page.getByRole('heading', { name: /10 % off everything/, level: 1 })).toBeVisible();
  await expect(page.getByText('€2.50')).toBeVisible();
  state.benefitId = /ben_[A-Za-z0-9_-]+/.exec(page.url())?.[0];
  await shot(page, testInfo, '06-benefit');
  await page.goto(`${club.url}/console/benefits`);
  await expect(page.getByRole('link', { name: '10 % off everything' })).toBeVisible();
  await shot(page, testInfo, '07-benefits');
});

test('a member gets credentials through the API; the admin revokes one after confirming', async ({
  page,
}, testInfo) => {
  const email = `member-${randomUUID().slice(0, 8)}@example.org`;
  const created = await api('POST', '/v1/members', {
    email,
    password: MEMBER_PASSWORD,
    given_name: 'Ada',
    family_name: 'Lovelace',
  });
  expect(created.status).toBe(201);
  const session = await api('POST', '/v1/sessions', { email, password: MEMBER_PASSWORD });
  expect(session.status).toBe(201);
  state.memberEmail = email;
  state.memberToken = session.body.token;
  const issue = async (holder: GeneratedKeyPair) => {
    const res = await api(
      'POST',
      '/v1/credentials',
      { benefit_id: state.benefitId, holder_jwk: holder.publicJwk },
      session.body.token,
    );
    expect(res.status).toBe(201);
    return res.body;
  };
  const revokeHolder = await generateKeyPair('EdDSA', { extractable: false });
  const redeemHolder = await generateKeyPair('EdDSA', { extractable: false });
  state.revokeId = (await issue(revokeHolder)).id;
  const toRedeem = await issue(redeemHolder);
  state.redeemId = toRedeem.id;

  // The credential to redeem goes all the way to an invoice, through the affiliate API.
  const nonce = await api('POST', '/v1/nonces', undefined, state.apiKey);
  const presentation = await presentCredential({
    credential: toRedeem.credential,
    disclose: ['email'],
    keyBinding: {
      holder: redeemHolder,
      origin: SHOP_ORIGIN,
      nonce: nonce.body.nonce,
      clock: { now: () => new Date() },
    },
  });
  const redemption = await api(
    'POST',
    '/v1/redemptions',
    { presentation, nonce: nonce.body.nonce, origin: SHOP_ORIGIN, order_ref: 'A-1001' },
    state.apiKey,
    { 'idempotency-key': randomUUID() },
  );
  expect(redemption.status).toBe(201);
  state.redemptionId = redemption.body.id;
  const now = Date.now();
  const invoice = await api(
    'POST',
    '/v1/invoices',
    {
      period_start: new Date(now - 86_400_000).toISOString(),
      period_end: new Date(now + 86_400_000).toISOString(),
      lines: [
        { redemption_id: redemption.body.id, amount: { amount: 250, currency: 'EUR' } },
        { redemption_id: redemption.body.id, amount: { amount: 250, currency: 'EUR' } },
      ],
    },
    state.apiKey,
  );
  expect(invoice.status).toBe(201);
  state.invoiceId = invoice.body.id;

  await signIn(page);
  await page.getByRole('link', { name: 'Members' }).click();
  await page.getByLabel('E-mail or membership number').fill(email);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: 'Ada Lovelace' }).click();
  await expect(page.getByRole('heading', { name: 'Ada Lovelace', level: 1 })).toBeVisible();
  await shot(page, testInfo, '08-member');

  await page.getByRole('link', { name: 'Credentials', exact: true }).click();
  await page.getByLabel('Credential id, member or benefit').fill(email);
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(page.getByRole('link', { name: state.revokeId as string })).toBeVisible();
  await shot(page, testInfo, '09-credentials');
  await page.getByRole('link', { name: state.revokeId as string }).click();
  await page.getByRole('link', { name: 'Revoke…' }).click();
  await expect(page.getByRole('heading', { name: 'Revoke this credential?' })).toBeVisible();
  await shot(page, testInfo, '10-credential-revoke-confirm');
  await page.getByRole('button', { name: 'Revoke credential' }).click();
  await expect(page.getByText('The credential was revoked.')).toBeVisible();
  await expect(page.locator('h1 .badge')).toHaveText('Revoked');
  await shot(page, testInfo, '11-credential-revoked');
});

test('the admin reads a redemption, approves the invoice and downloads its CSV', async ({ page }, testInfo) => {
  await signIn(page);
  await page.getByRole('link', { name: 'Redemptions' }).click();
  await page.getByLabel('Affiliate').selectOption(state.affiliateId as string);
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByRole('link', { name: state.redemptionId as string })).toBeVisible();
  await shot(page, testInfo, '12-redemptions');
  await page.getByRole('link', { name: state.redemptionId as string }).click();
  await expect(page.getByText('clubpass-receipt+jwt', { exact: false })).toBeVisible();
  await expect(page.getByText('A-1001')).toBeVisible();
  await shot(page, testInfo, '13-redemption');

  await page.getByRole('link', { name: 'Invoices' }).click();
  await expect(page.getByRole('link', { name: state.invoiceId as string })).toBeVisible();
  await shot(page, testInfo, '14-invoices');
  await page.getByRole('link', { name: state.invoiceId as string }).click();
  await expect(page.getByText('The same redemption appears twice on this invoice')).toBeVisible();
  await shot(page, testInfo, '15-invoice-submitted');
  await page.getByRole('button', { name: 'Approve invoice' }).click();
  await expect(page.getByText('The invoice was approved.')).toBeVisible();
  await expect(page.locator('h1 .badge')).toHaveText('Approved');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`invoice-${state.invoiceId}.csv`);
  const csv = readFileSync(await download.path(), 'utf8');
  const rows = csv.trimEnd().split('\r\n');
  expect(rows[0]).toMatch(/^invoice_id,affiliate_id,period_start,period_end,invoice_status,redemption_id/);
  expect(rows).toHaveLength(3);
  expect(csv).toContain(`"${state.redemptionId}","250","EUR","accepted"`);
  expect(csv).toContain('"rejected","duplicate_line"');
  await testInfo.attach('invoice.csv', { body: csv, contentType: 'text/csv' });

  await page.getByRole('button', { name: 'Mark as paid' }).click();
  await expect(page.getByText('The invoice was marked paid.')).toBeVisible();
  await shot(page, testInfo, '16-invoice-paid');
});

test('the admin rotates the signing key after confirming; the old key stays published', async ({ page }, testInfo) => {
  await signIn(page);
  await page.getByRole('link', { name: 'Signing keys' }).click();
  await expect(page.locator('tbody tr')).toHaveCount(1);
  const oldKid = (await page.locator('tbody tr td').first().textContent())?.trim();
  await page.getByRole('link', { name: 'Rotate key…' }).click();
  await expect(page.getByRole('heading', { name: 'Rotate the signing key?' })).toBeVisible();
  await shot(page, testInfo, '17-key-rotate-confirm');
  await page.getByRole('button', { name: 'Rotate signing key' }).click();
  await expect(page.getByText('A new signing key is in use.')).toBeVisible();
  await expect(page.locator('tbody tr')).toHaveCount(2);
  await expect(page.locator('tbody tr').filter({ hasText: oldKid as string })).toContainText('Published');
  await shot(page, testInfo, '18-keys');
  const jwks = await api('GET', '/.well-known/jwks.json');
  expect(jwks.body.keys).toHaveLength(2);
});

test('every admin action is on the audit page: who, what, when, from where', async ({ page }, testInfo) => {
  await signIn(page);
  await page.getByRole('link', { name: 'Audit log' }).click();
  const table = page.locator('table');
  for (const action of [
    'admin.sign_in',
    'affiliate.create',
    'benefit.create',
    'credential.revoke',
    'invoice.approve',
    'invoice.paid',
    'signing_key.rotate',
  ]) {
    await expect(table.getByText(action, { exact: true }).first()).toBeVisible();
  }
  await expect(table.getByText(ADMIN_EMAIL).first()).toBeVisible();
  await expect(table.getByText('127.0.0.1').first()).toBeVisible();
  await expect(table.getByText(state.revokeId as string)).toBeVisible();
  expect(await page.content()).not.toContain(state.apiKey as string);
  await shot(page, testInfo, '19-audit-log');
});

test('a form posted without its CSRF token is refused with 403 and changes nothing', async ({ page }, testInfo) => {
  await signIn(page);
  await page.goto(`${club.url}/console/keys`);
  const keysBefore = await page.locator('tbody tr').count();
  await page.goto(`${club.url}/console/keys/rotate`);
  await page.locator('input[name="_csrf"]').evaluateAll((inputs) => {
    for (const input of inputs) input.remove();
  });
  const response = page.waitForResponse(
    (r) => r.url().endsWith('/console/keys/rotate') && r.request().method() === 'POST',
  );
  await page.getByRole('button', { name: 'Rotate signing key' }).click();
  expect((await response).status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'Request refused' })).toBeVisible();
  await shot(page, testInfo, '20-csrf-refused');
  // A forged token is refused too, and a direct post without one.
  const forged = await page.request.post(`${club.url}/console/keys/rotate`, { form: { _csrf: 'forged' } });
  expect(forged.status()).toBe(403);
  const bare = await page.request.post(`${club.url}/console/affiliates`, {
    form: { name: 'Forged', origins: 'https://forged.example' },
  });
  expect(bare.status()).toBe(403);
  await page.goto(`${club.url}/console/keys`);
  await expect(page.locator('tbody tr')).toHaveCount(keysBefore);
  await page.goto(`${club.url}/console/affiliates`);
  await expect(page.getByText('Forged')).toHaveCount(0);
});

test('a member cannot use the console: refused at sign-in, and a member session opens no page', async ({
  page,
  context,
}, testInfo) => {
  await signIn(page, state.memberEmail, MEMBER_PASSWORD);
  await expect(page.getByRole('heading', { name: 'Not available to this account' })).toBeVisible();
  await shot(page, testInfo, '21-member-refused');
  expect((await context.cookies()).some((c) => c.name === 'clubpass_console')).toBe(false);

  await context.addCookies([{ name: 'clubpass_console', value: state.memberToken as string, url: club.url }]);
  for (const path of [
    '/console',
    '/console/members',
    '/console/affiliates',
    `/console/affiliates/${state.affiliateId}`,
    '/console/benefits',
    '/console/credentials',
    '/console/redemptions',
    '/console/invoices',
    '/console/keys',
    '/console/audit',
  ]) {
    const response = await page.goto(`${club.url}${path}`);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole('heading', { name: 'Not available to this account' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Console sections' })).toHaveCount(0);
  }
});

test('an affiliate named like an XSS payload shows as text everywhere, and no dialog opens', async ({
  page,
}, testInfo) => {
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await signIn(page);
  await page.goto(`${club.url}/console/affiliates/new`);
  await page.getByLabel('Name').fill(XSS);
  await page.getByLabel('Web origins').fill('https://xss.example');
  await page.getByRole('button', { name: 'Create affiliate' }).click();
  await expect(page.getByRole('heading', { name: 'Affiliate created' })).toBeVisible();
  const xssId = /aff_[A-Za-z0-9_-]+$/.exec(page.url())?.[0] as string;
  await page.goto(`${club.url}/console/benefits/new?affiliate_id=${xssId}`);
  await page.getByLabel('Title').fill(XSS);
  await page.getByLabel('Terms in words').fill(XSS);
  await page.getByLabel('Price paid per redemption').fill('1');
  await page.getByRole('button', { name: 'Create benefit' }).click();
  await expect(page.getByText('The benefit was created and is on offer.')).toBeVisible();
  const benefitPath = new URL(page.url()).pathname;

  for (const path of [
    '/console/affiliates',
    `/console/affiliates/${xssId}`,
    `/console/affiliates/${xssId}/edit`,
    '/console/benefits',
    benefitPath,
    `${benefitPath}/edit`,
    '/console/benefits/new',
    '/console/redemptions',
    '/console/invoices',
    '/console/audit',
  ]) {
    await page.goto(`${club.url}${path}`);
    const text = await page.locator('main').evaluate((main) => {
      const fields = Array.from(
        main.querySelectorAll('input, textarea, option'),
        (el) => (el as HTMLInputElement).value,
      );
      const options = Array.from(main.querySelectorAll('option'), (o) => o.textContent ?? '');
      return [main.textContent ?? '', ...fields, ...options].join(' ');
    });
    expect(text, path).toContain(XSS);
    await expect(page.locator('img'), path).toHaveCount(0);
  }
  await page.goto(`${club.url}/console/affiliates/${xssId}`);
  await expect(page.getByRole('heading', { name: XSS, level: 1 })).toBeVisible();
  await shot(page, testInfo, '22-xss-affiliate');
  expect(dialogs).toEqual([]);
});

test('every page: labelled fields, a visible skip link, and no script errors; screenshots', async ({
  page,
}, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await signIn(page);
  const pages: [string, string][] = [
    ['/console', 'dashboard'],
    ['/console/members', 'members'],
    ['/console/affiliates', 'affiliates'],
    [`/console/affiliates/${state.affiliateId}/edit`, 'affiliate-edit'],
    ['/console/affiliates/new', 'affiliate-new'],
    ['/console/benefits/new', 'benefit-new'],
    [`/console/benefits/${state.benefitId}/edit`, 'benefit-edit'],
    [`/console/credentials/${state.redeemId}`, 'credential'],
    ['/console/redemptions', 'redemptions'],
    [`/console/invoices/${state.invoiceId}`, 'invoice'],
    ['/console/keys', 'keys'],
    ['/console/audit', 'audit'],
  ];
  for (const [path, name] of pages) {
    await page.goto(`${club.url}${path}`);
    await expectLabelledFields(page);
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
    await expect(page.getByRole('link', { name: 'Skip to content' })).toBeInViewport();
    await page.keyboard.press('Escape');
    await page.mouse.click(1, 1);
    await shot(page, testInfo, `page-${name}`);
  }
  // The dashboard's chart is drawn by Chart.js, served by the club itself.
  await page.goto(`${club.url}/console`);
  await expect.poll(() => page.evaluate(() => typeof (window as { Chart?: unknown }).Chart)).toBe('function');
  await expect(page.locator('#activity-chart')).toHaveAttribute('height', /\d+/);
  await page.setViewportSize({ width: 420, height: 900 });
  await shot(page, testInfo, 'page-dashboard-narrow');
  expect(errors).toEqual([]);
});
