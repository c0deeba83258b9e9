/**
 * Manual smoke check of the built extension in Debian's Chromium (not part of `npm test`).
 *
 *   npm run build:extension && npm run smoke -w @clubpass/extension
 *
 * It starts a club backend on a free loopback port with a fresh SQLite database, seeds two partners
 * and three benefits through the admin API, serves a partner page and a non-partner page (free
 * ports too, so a running demo on 8080/3001/3002 is left alone), loads the extension from
 * .output/chrome-mv3 and then: points it at that club on the options page, signs up, gets a
 * benefit, shares it on the partner page (the partner redeems it with the club), declines a second
 * request, checks the extension stays silent on the non-partner page, and writes screenshots to
 * extension/.output/screenshots/.
 * Exits non-zero on the first failed check. Environment: CHROMIUM (default /usr/bin/chromium).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from '@playwright/test';

const root = resolve(new URL('../..', import.meta.url).pathname);
const extensionDir = join(root, 'extension/.output/chrome-mv3');
const shots = join(root, 'extension/.output/screenshots');
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const address = server.address();
  await new Promise<void>((ok) => server.close(() => ok()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

const [CLUB_PORT, PARTNER_PORT, STRANGER_PORT] = [await freePort(), await freePort(), await freePort()];
const CLUB = `http://127.0.0.1:${CLUB_PORT}`;
const PARTNER = `http://127.0.0.1:${PARTNER_PORT}`;
const STRANGER = `http://127.0.0.1:${STRANGER_PORT}`;
const ADMIN = { email: 'admin@smoke.test', password: 'smoke-admin-password' };
const MEMBER = {
  email: `ada.${Date.now()}@example.org`,
  password: 'correct horse battery',
  given_name: 'Ada',
  family_name: 'Lovelace',
};

const cleanups: (() => Promise<void> | void)[] = [];
let step = 0;

function log(message: string): void {
  console.log(`[smoke ${String(++step).padStart(2, '0')}] ${message}`);
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`check failed: ${message}`);
}

async function http(method: string, url: string, body?: unknown, token?: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {
    json = { text };
  }
  return { status: response.status, json };
}

async function waitForClub(child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`the club backend exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${CLUB}/.well-known/clubpass`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the club backend did not start');
}

async function startClub(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clubpass-smoke-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLUBPASS_DATA_DIR: dataDir,
    PORT: String(CLUB_PORT),
    HOST: '127.0.0.1',
  };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/src/server.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  cleanups.push(() => {
    child.kill('SIGTERM');
  });
  await waitForClub(child);
  const cli = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'backend/src/cli.ts', 'admin', 'create', '--email', ADMIN.email, '--password', ADMIN.password],
    { cwd: root, env, encoding: 'utf8' },
  );
  check(cli.status === 0, `admin create: ${cli.stderr}`);
  const session = await http('POST', `${CLUB}/v1/sessions`, ADMIN);
  check(session.status === 201, `admin sign-in: ${JSON.stringify(session.json)}`);
  return session.json.token as string;
}

async function seed(adminToken: string): Promise<{ affiliateId: string; apiKey: string; benefitId: string }> {
  const books = await http(
    'POST',
    `${CLUB}/v1/admin/affiliates`,
    { name: 'Northwind Books', origins: [PARTNER] },
    adminToken,
  );
  check(books.status === 201, `create affiliate: ${JSON.stringify(books.json)}`);
  const cafe = await http(
    'POST',
    `${CLUB}/v1/admin/affiliates`,
    { name: 'Harbour Café', origins: ['https://cafe.example'] },
    adminToken,
  );
  check(cafe.status === 201, 'create second affiliate');
  const price = { amount: 300, currency: 'EUR' };
  const benefit = await http(
    'POST',
    `${CLUB}/v1/admin/benefits`,
    {
      affiliate_id: books.json.id,
      kind: 'product_discount',
      title: '15% off every book',
      description: 'Valid on all printed books and e-books in the online store.',
      terms: { percent_off: 15, description: 'One order per credential.' },
      price,
      requires: ['email'],
    },
    adminToken,
  );
  check(benefit.status === 201, `create benefit: ${JSON.stringify(benefit.json)}`);
  for (const extra of [
    {
      affiliate_id: books.json.id,
      kind: 'free_goods',
      title: 'Free tote bag',
      terms: { description: 'Shipped with your next order.' },
      price,
      requires: ['given_name', 'family_name', 'address'],
    },
    {
      affiliate_id: cafe.json.id,
      kind: 'product_discount',
      title: '€2 off any coffee',
      terms: { amount_off: { amount: 200, currency: 'EUR' } },
      price,
    },
  ]) {
    const created = await http('POST', `${CLUB}/v1/admin/benefits`, extra, adminToken);
    check(created.status === 201, `create benefit: ${JSON.stringify(created.json)}`);
  }
  return {
    affiliateId: books.json.id as string,
    apiKey: books.json.api_key as string,
    benefitId: benefit.json.id as string,
  };
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title>
<script src="${CLUB}/snippet/v1.js" data-affiliate="AFFILIATE" async></script>
<script src="/shop.js" defer></script></head>
<body><h1>Shop</h1><button id="ask">Use my club benefit</button><pre id="result"></pre></body></html>`;

// The page records every message it receives and every DOM change the extension could make.
const SHOP_JS = `
window.__seen = [];
window.__mutations = 0;
window.addEventListener('message', (e) => window.__seen.push(e.data));
new MutationObserver((list) => { window.__mutations += list.length; })
  .observe(document.documentElement, { subtree: true, childList: true, attributes: true });
document.getElementById('ask').addEventListener('click', async () => {
  const out = document.getElementById('result');
  try {
    const { nonce } = await (await fetch('/nonce', { method: 'POST' })).json();
    const presentation = await window.Clubpass.request({ nonce, disclose: ['email', 'phone_number'] });
    const verdict = await (await fetch('/redeem', { method: 'POST', body: JSON.stringify({ presentation, nonce }) })).json();
    out.textContent = 'ok ' + JSON.stringify(verdict);
  } catch (error) {
    out.textContent = 'error ' + (error.code || error.message);
  }
});`;

function servePage(port: number, affiliateId: string, apiKey: string | null): Promise<Server> {
  const origin = `http://127.0.0.1:${port}`;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    if (req.url === '/shop.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(SHOP_JS);
    } else if (req.url === '/nonce' && apiKey) {
      const nonce = await http('POST', `${CLUB}/v1/nonces`, {}, apiKey);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(nonce.json));
    } else if (req.url === '/nonce') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ nonce: 'not-a-partner-nonce' }));
    } else if (req.url === '/redeem' && apiKey) {
      const { presentation, nonce } = JSON.parse(body);
      const redeemed = await http('POST', `${CLUB}/v1/redemptions`, { presentation, nonce, origin }, apiKey, {
        'idempotency-key': `smoke-${Date.now()}`,
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(redeemed));
    } else {
      res
        .writeHead(200, {
          'content-type': 'text/html',
          'content-security-policy': `default-src 'self'; script-src 'self' ${CLUB}; connect-src 'self'`,
        })
        .end(PAGE.replace('AFFILIATE', affiliateId));
    }
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok(server)));
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(shots, name), fullPage: true });
  log(`screenshot ${join('extension/.output/screenshots', name)}`);
}

async function badgeTexts(context: BrowserContext): Promise<string[]> {
  const worker = context.serviceWorkers()[0];
  check(worker, 'service worker');
  return worker.evaluate(async () => {
    const c = (
      globalThis as unknown as {
        chrome: {
          tabs: { query(q: object): Promise<{ id?: number }[]> };
          action: { getBadgeText(d: { tabId: number }): Promise<string> };
        };
      }
    ).chrome;
    const tabs = await c.tabs.query({});
    return Promise.all(tabs.map((t) => c.action.getBadgeText({ tabId: t.id as number })));
  });
}

async function main(): Promise<void> {
  check(existsSync(join(extensionDir, 'manifest.json')), 'build the extension first: npm run build:extension');
  mkdirSync(shots, { recursive: true });
  const adminToken = await startClub();
  log(`club backend up on ${CLUB}`);
  const { affiliateId, apiKey } = await seed(adminToken);
  log(`seeded partner ${affiliateId} at ${PARTNER}`);
  const partner = await servePage(PARTNER_PORT, affiliateId, apiKey);
  const stranger = await servePage(STRANGER_PORT, affiliateId, null);
  cleanups.push(() => new Promise<void>((ok) => partner.close(() => ok())));
  cleanups.push(() => new Promise<void>((ok) => stranger.close(() => ok())));

  const profile = mkdtempSync(join(tmpdir(), 'clubpass-smoke-profile-'));
  cleanups.push(() => rmSync(profile, { recursive: true, force: true }));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 380, height: 600 },
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  cleanups.unshift(() => context.close());
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  log(`extension loaded: ${extensionId}`);
  const manifest = JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8'));
  check(manifest.manifest_version === 3, 'MV3 manifest');

  // Point the extension at this club (the default is the demo's 127.0.0.1:8080).
  const settings = await context.newPage();
  await settings.goto(`chrome-extension://${extensionId}/options.html`);
  await settings.getByTestId('options-club-url').fill(CLUB);
  await settings.getByTestId('options-save').click();
  await settings.getByTestId('options-partner-count').waitFor();
  check((await settings.getByTestId('options-partner-count').textContent()) === '2', 'two partners in the directory');
  await settings.close();
  log('club address set on the options page; directory verified');

  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await popup.getByTestId('signin-form').waitFor();
  await shot(popup, '01-popup-signin.png');

  // Sign-in errors come from the club's problem document.
  await popup.getByTestId('signin-email').fill('nobody@example.org');
  await popup.getByTestId('signin-password').fill('wrong password');
  await popup.getByTestId('signin-submit').click();
  await popup.getByTestId('form-error').waitFor();
  check((await popup.getByTestId('form-error').getAttribute('data-code')) === 'invalid_login', 'invalid_login shown');
  await shot(popup, '02-popup-signin-error.png');

  // Sign up: per-field errors from the club, then success.
  await popup.getByTestId('auth-tab-signup').click();
  await popup.getByTestId('signup-given-name').fill(MEMBER.given_name);
  await popup.getByTestId('signup-family-name').fill(MEMBER.family_name);
  await popup.getByTestId('signup-email').fill('not-an-email');
  await popup.getByTestId('signup-password').fill('short');
  await popup.getByTestId('signup-address-toggle').click();
  await popup.getByTestId('signup-country').fill('Germany');
  await popup.getByTestId('signup-submit').click();
  await popup.getByTestId('form-error').waitFor();
  const emailError = await popup.getByTestId('field-error-email').textContent();
  check(emailError && emailError.length > 0, 'per-field error for email');
  check(((await popup.getByTestId('field-error-address.country').textContent()) ?? '').length > 0, 'country error');
  await shot(popup, '03-popup-signup-errors.png');
  await popup.getByTestId('signup-email').fill(MEMBER.email);
  await popup.getByTestId('signup-password').fill(MEMBER.password);
  await popup.getByTestId('signup-country').fill('DE');
  await popup.getByTestId('signup-locality').fill('Berlin');
  await popup.getByTestId('signup-submit').click();
  await popup.getByTestId('catalog-list').waitFor();
  check((await popup.getByTestId('member-name').textContent()) === 'Ada Lovelace', 'member name shown');
  await shot(popup, '04-popup-catalog.png');
  log('signed up; catalog shown');

  await popup.getByTestId('tab-credentials').click();
  await popup.getByTestId('credentials-empty').waitFor();
  await shot(popup, '05-popup-credentials-empty.png');
  await popup.getByTestId('tab-catalog').click();
  const books = popup.getByTestId('catalog-item').filter({ hasText: '15% off every book' });
  await books.getByTestId('get-button').click();
  await books.getByTestId('catalog-item-held').waitFor();
  await shot(popup, '06-popup-catalog-got.png');
  await popup.getByTestId('tab-credentials').click();
  await popup.getByTestId('credentials-list').waitFor();
  check((await popup.getByTestId('credential-item').first().getAttribute('data-usable')) === 'true', 'usable');
  await shot(popup, '06b-popup-credentials-ready.png');
  await popup.getByTestId('tab-catalog').click();
  await popup.getByTestId('catalog-list').waitFor();
  log('got a credential');

  // The partner page: badge, request, consent window, share, the partner redeems with the club.
  const shop = await context.newPage();
  await shop.setViewportSize({ width: 900, height: 600 });
  await shop.goto(PARTNER);
  await shop.waitForFunction(() => Boolean((window as unknown as { Clubpass?: unknown }).Clubpass));
  await shop.waitForTimeout(300);
  check((await badgeTexts(context)).includes('1'), `badge shows 1 on the partner page: ${await badgeTexts(context)}`);
  const consentOpened = context.waitForEvent('page');
  await shop.click('#ask');
  const consent = await consentOpened;
  await consent.getByTestId('consent-share').waitFor();
  check(consent.url().startsWith(`chrome-extension://${extensionId}/consent.html`), 'consent is an extension page');
  check((await consent.getByTestId('consent-origin').textContent()) === PARTNER, 'consent shows the origin');
  check(await consent.getByTestId('consent-detail-email').isChecked(), 'email pre-checked');
  check(await consent.getByTestId('consent-detail-phone_number').isDisabled(), 'phone not held');
  await consent.setViewportSize({ width: 440, height: 680 });
  await consent.waitForFunction(
    () => !(document.querySelector('[data-testid="consent-share"]') as HTMLButtonElement | null)?.disabled,
  );
  await shot(consent, '07-consent.png');
  await consent.getByTestId('consent-share').click();
  await shop.waitForFunction(() => document.getElementById('result')?.textContent !== '', null, { timeout: 15_000 });
  const result = (await shop.textContent('#result')) ?? '';
  check(result.startsWith('ok '), `partner got a presentation: ${result}`);
  const verdict = JSON.parse(result.slice(3));
  check(verdict.status === 201, `club redeemed it: ${result}`);
  check(verdict.json.disclosed.email === MEMBER.email, 'email disclosed');
  check(verdict.json.disclosed.phone_number === undefined, 'nothing else disclosed');
  log('shared on the partner page; the club redeemed it');
  const seen = await shop.evaluate(() =>
    (window as unknown as { __seen: { type: string }[] }).__seen.map((m) => m.type),
  );
  check(JSON.stringify(seen) === JSON.stringify(['request', 'ack', 'response']), `page messages: ${seen}`);

  // Decline: the page is told "unavailable".
  await shop.evaluate(() => {
    (document.getElementById('result') as HTMLElement).textContent = '';
  });
  const second = context.waitForEvent('page');
  await shop.click('#ask');
  const consent2 = await second;
  await consent2.getByTestId('consent-root').waitFor();
  await consent2.waitForSelector('[data-testid="consent-decline"]');
  await consent2.setViewportSize({ width: 440, height: 680 });
  await shot(consent2, '08-consent-nothing-to-share.png');
  await consent2.getByTestId('consent-decline').click();
  await shop.waitForFunction(() => document.getElementById('result')?.textContent !== '');
  check((await shop.textContent('#result')) === 'error unavailable', 'decline → unavailable');
  log('declined; the page got unavailable');

  // A page that is not a partner: silence.
  const other = await context.newPage();
  await other.setViewportSize({ width: 900, height: 600 });
  await other.goto(STRANGER);
  await other.waitForFunction(() => Boolean((window as unknown as { Clubpass?: unknown }).Clubpass));
  const pages = context.pages().length;
  await other.click('#ask');
  await other.waitForFunction(() => document.getElementById('result')?.textContent !== '', null, { timeout: 5000 });
  check((await other.textContent('#result')) === 'error unavailable', 'non-partner → unavailable');
  const otherSeen = await other.evaluate(() =>
    (window as unknown as { __seen: { type: string }[] }).__seen.map((m) => m.type),
  );
  check(JSON.stringify(otherSeen) === JSON.stringify(['request']), `only the page's own message: ${otherSeen}`);
  const mutations = await other.evaluate(() => (window as unknown as { __mutations: number }).__mutations);
  check(mutations === 1, `no DOM changes but the page's own result: ${mutations}`);
  check(context.pages().length === pages, 'no consent window for a non-partner');
  await other.bringToFront();
  const texts = await badgeTexts(context);
  log(`silent on the non-partner page (badges: ${JSON.stringify(texts)})`);

  // My credentials shows the redemption.
  await popup.bringToFront();
  await popup.getByTestId('tab-credentials').click();
  await popup.getByTestId('credentials-list').waitFor();
  const status = await popup.getByTestId('credential-item').first().getAttribute('data-status');
  check(status === 'redeemed', `credential shows redeemed: ${status}`);
  await shot(popup, '09-popup-credentials.png');

  const options = await context.newPage();
  await options.setViewportSize({ width: 760, height: 720 });
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  await options.getByTestId('options-holder-key').waitFor();
  await shot(options, '10-options.png');

  await popup.getByTestId('signout-button').click();
  await popup.getByTestId('signin-form').waitFor();
  log('signed out');
  console.log('\nsmoke: all checks passed');
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const cleanup of cleanups) {
      try {
        await cleanup();
      } catch {
        // keep cleaning
      }
    }
  });
