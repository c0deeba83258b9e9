import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { type ClubProcess, startClubProcess } from './support/club-process.js';

// A partner page as an affiliate would write it: the club's snippet under a strict CSP, and the
// page's own script in a file (no inline code anywhere).
function pageServer(clubUrl: string): Server {
  return createServer((req, res) => {
    if (req.url === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(`
        document.getElementById('ask').addEventListener('click', async () => {
          const out = document.getElementById('out');
          try {
            out.textContent = 'presentation:' + (await window.Clubpass.request({ nonce: 'n-1', disclose: ['address'] }));
          } catch (error) {
            out.textContent = 'error:' + error.code;
          }
        });
        document.getElementById('bad').addEventListener('click', async () => {
          try { await window.Clubpass.request({}); } catch (error) { document.getElementById('out').textContent = 'error:' + error.code; }
        });`);
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; script-src 'self' ${clubUrl}; style-src 'self'`,
    });
    res.end(`<!doctype html><title>Shop</title>
      <script src="${clubUrl}/snippet/v1.js" data-affiliate="aff_test" async></script>
      <button id="ask">Use my membership</button><button id="bad">Bad call</button><p id="out"></p>
      <script src="/app.js" defer></script>`);
  });
}

let club: ClubProcess;
let page: Server;
let pageUrl: string;

test.beforeAll(async () => {
  club = await startClubProcess();
  page = pageServer(club.url);
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/`;
});

test.afterAll(async () => {
  await new Promise((resolve) => page.close(resolve));
  await club.stop();
});

test('the snippet runs under a strict CSP and defines window.Clubpass', async ({ page: browserPage }) => {
  const violations: string[] = [];
  browserPage.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await browserPage.goto(pageUrl);
  await expect
    .poll(() => browserPage.evaluate(() => typeof (window as { Clubpass?: unknown }).Clubpass))
    .toBe('object');
  expect(
    await browserPage.evaluate(() => (window as unknown as { Clubpass: { affiliate: string } }).Clubpass.affiliate),
  ).toBe('aff_test');
  expect(violations).toEqual([]);
});

test('without the extension a request rejects with "unavailable"', async ({ page: browserPage }) => {
  await browserPage.goto(pageUrl);
  await expect
    .poll(() => browserPage.evaluate(() => typeof (window as { Clubpass?: unknown }).Clubpass))
    .toBe('object');
  await browserPage.getByRole('button', { name: 'Use my membership' }).click();
  await expect(browserPage.locator('#out')).toHaveText('error:unavailable', { timeout: 5_000 });
});

test('a request without a nonce is refused at once', async ({ page: browserPage }) => {
  await browserPage.goto(pageUrl);
  await expect
    .poll(() => browserPage.evaluate(() => typeof (window as { Clubpass?: unknown }).Clubpass))
    .toBe('object');
  await browserPage.getByRole('button', { name: 'Bad call' }).click();
  await expect(browserPage.locator('#out')).toHaveText('error:invalid_request');
});

test('a page cannot replace window.Clubpass once the snippet defined it', async ({ page: browserPage }) => {
  await browserPage.goto(pageUrl);
  await expect
    .poll(() => browserPage.evaluate(() => typeof (window as { Clubpass?: unknown }).Clubpass))
    .toBe('object');
  const replaced = await browserPage.evaluate(() => {
    try {
      (window as unknown as { Clubpass: unknown }).Clubpass = { request: () => 'forged' };
    } catch {
      // strict-mode assignment to a read-only property throws; sloppy mode ignores it
    }
    return (window as unknown as { Clubpass: { version?: number } }).Clubpass.version;
  });
  expect(replaced).toBe(1);
});
