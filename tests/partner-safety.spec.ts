import { expect, type Frame, type Page, test } from '@playwright/test';
import { freePort } from '../backend/src/test-support/serve-process.js';
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
} from './support/extension-browser.js';
import { type Network, type Partner, SHOP_BENEFIT, startNetwork } from './support/network.js';
import { clubpassTypes, installProbe, type ProbeRecord, readProbe } from './support/page-probe.js';
import { type RunningServer, type StaticFile, serveFiles, serveMirror } from './support/page-servers.js';
import { readPresentation } from './support/presentation.js';

// What the extension must never do (PROTOCOL.md §9, docs/snippet-messages.md): answer, or even
// show itself to, a page that is not exactly a partner's origin; let a page (or a frame in it)
// consent for the member; produce a presentation before the member clicks Share in its own window.

const NOT_SHARED =
  'No Clubpass membership was shared. If you are a member, install the Clubpass extension and sign in, then try again.';

let network: Network;
let ext: ExtensionBrowser;
/** A partner whose pages the test serves itself, without any CSP, so its scripts can try anything. */
let partner: Partner;
let partnerServer: RunningServer;
/** A site that is no partner, serving a copy of a partner page and a frame for embedding. */
let stranger: RunningServer;
const mirrors: RunningServer[] = [];
const partnerFiles: Record<string, StaticFile> = {};
const strangerFiles: Record<string, StaticFile> = {};

function html(title: string, body: string, snippet: { club: string; affiliate: string }): StaticFile {
  return {
    type: 'text/html; charset=utf-8',
    body: `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>
<script src="${snippet.club}/snippet/v1.js" data-affiliate="${snippet.affiliate}" async></script></head>
<body><h1>${title}</h1>${body}</body></html>`,
  };
}

test.beforeAll(async () => {
  network = await startNetwork({ cafe: true });
  const { club, shop } = network;
  partnerServer = await serveFiles(partnerFiles);
  stranger = await serveFiles(strangerFiles);
  partner = await network.addPartner('Lantern Books', partnerServer.url, {
    ...SHOP_BENEFIT,
    title: '10 % off books',
    terms: { percent_off: 10 },
  });
  const asPartner = { club: club.url, affiliate: partner.affiliateId };
  partnerFiles['/'] = html('Lantern Books', '<p>Members save on every book.</p>', asPartner);
  partnerFiles['/frames.html'] = html(
    'Lantern Books',
    `<iframe id="same" src="/frame.html" title="same-origin frame"></iframe>
<iframe id="cross" src="${stranger.url}/frame.html" title="cross-origin frame"></iframe>`,
    asPartner,
  );
  partnerFiles['/frame.html'] = html('Embedded (same origin)', '<p>an ad</p>', asPartner);
  strangerFiles['/frame.html'] = html('Embedded (another origin)', '<p>an ad</p>', asPartner);
  // A stranger using the shop's affiliate id in its own snippet tag.
  strangerFiles['/'] = html('Hollow Pine Goods', '<p>Totally the real shop.</p>', {
    club: club.url,
    affiliate: shop.affiliateId,
  });
  // Byte-for-byte copies of the shop on look-alike origins: another loopback address with the
  // shop's own port (Linux routes all of 127.0.0.0/8 to loopback), and another port.
  const shopPort = Number(new URL(shop.origin).port);
  mirrors.push(await serveMirror(shop.origin, '127.0.0.2', shopPort));
  mirrors.push(await serveMirror(shop.origin, '127.0.0.1', await freePort()));

  ext = await launchWithExtension();
  await (await setClubUrl(ext, club.url, 3)).close();
  // A member who holds usable credentials for the shop and for Lantern Books.
  const member = newMember('safety');
  await network.api.expect(201, 'POST', '/v1/members', { body: member });
  const popup = await openPopup(ext);
  await signInInPopup(popup, member);
  await getBenefitInPopup(popup, shop.benefitId);
  await getBenefitInPopup(popup, partner.benefitId);
  await popup.close();
});

test.afterAll(async () => {
  try {
    await ext?.close();
  } finally {
    await Promise.all([...mirrors, partnerServer, stranger].filter(Boolean).map((s) => s.close()));
    await network?.stop();
  }
});

/** `Clubpass.request` in `page`, resolving with the error code, or 'presentation'. */
async function request(page: Page | Frame, nonce = 'not-a-real-nonce'): Promise<string> {
  await page.waitForFunction(() => Boolean((window as { Clubpass?: unknown }).Clubpass));
  return page.evaluate(
    (n) =>
      (window as unknown as { Clubpass: { request(o: object): Promise<string> } }).Clubpass.request({
        nonce: n,
        disclose: ['address'],
      }).then(
        () => 'presentation',
        (error: { code: string }) => error.code,
      ),
    nonce,
  );
}

/**
 * Loads `url` with the probe installed, lets `act` ask for a presentation, and returns what the
 * page could observe. `extensionId` null: a browser without the extension (the baseline).
 */
async function observe(
  page: Page,
  extensionId: string | null,
  url: string,
  act: (page: Page) => Promise<void>,
): Promise<ProbeRecord> {
  await installProbe(page, extensionId);
  await page.goto(url);
  await act(page);
  return readProbe(page);
}

test('pages that are not exactly a partner origin get no answer and see nothing of the extension', async ({
  browser,
}) => {
  const testInfo = test.info();
  const { shop } = network;
  const shopPort = new URL(shop.origin).port;
  const lookAlikes: { what: string; url: string; act: (page: Page) => Promise<void> }[] = [
    {
      what: 'a site that is no partner, with the shop’s affiliate id in its snippet tag',
      url: stranger.url,
      act: async (page) => expect(await request(page)).toBe('unavailable'),
    },
    ...mirrors.map((mirror) => ({
      what: `a copy of the shop at ${mirror.url}`,
      url: mirror.url,
      // The shop's own button and script, with a real nonce fetched through the copy.
      act: async (page: Page) => {
        await page.getByTestId('use-membership').click();
        await expect(page.getByTestId('membership-error')).toHaveText(NOT_SHARED);
      },
    })),
    {
      what: 'the shop itself, reached as localhost (same server, another origin)',
      url: `http://localhost:${shopPort}/`,
      act: async (page) => expect(await request(page)).toBe('unavailable'),
    },
  ];

  // The same pages in a browser without the extension: every DOM change there is the page's own.
  const plain = await browser.newContext();
  try {
    for (const [index, lookAlike] of lookAlikes.entries()) {
      await test.step(lookAlike.what, async () => {
        const tabsBefore = ext.context.pages().length;
        const page = await ext.context.newPage();
        const [baseline, seen] = await Promise.all([
          observe(await plain.newPage(), null, lookAlike.url, lookAlike.act),
          observe(page, ext.extensionId, lookAlike.url, lookAlike.act),
        ]);
        await snap(testInfo, page, `${String(index + 1).padStart(2, '0')}-look-alike-${new URL(lookAlike.url).host}`);

        // Only the page's own request message: no ack, no response, nothing posted to '*'.
        expect(clubpassTypes(seen)).toEqual(['request']);
        expect(seen.messages).toHaveLength(1);
        expect(seen.messages.every((m) => m.fromOwnWindow)).toBe(true);
        // No event announcing a content script, no DOM change the page did not make itself.
        expect(seen.events).toEqual([]);
        expect(seen.mutations).toEqual(baseline.mutations);
        expect(seen.mutations.length).toBeGreaterThan(0); // the probe was watching
        // No consent window, no other window.
        expect(ext.consentWindows()).toHaveLength(0);
        expect(ext.context.pages()).toHaveLength(tabsBefore + 1);
        await page.close();
      });
    }
  } finally {
    await plain.close();
  }
  const redemptions = await network.api.expect(200, 'GET', '/v1/admin/redemptions', { token: network.adminToken });
  expect(redemptions.data).toEqual([]);
});

test('a partner page cannot consent for the member: only the click in the extension window produces a presentation', async () => {
  const testInfo = test.info();
  const { api } = network;
  const page = await ext.context.newPage();
  await installProbe(page, ext.extensionId);
  await page.goto(partnerServer.url);
  await page.waitForFunction(() => Boolean((window as { Clubpass?: unknown }).Clubpass));
  const { nonce } = await api.expect(201, 'POST', '/v1/nonces', { token: partner.apiKey });

  const consent = await consentFor(ext, () =>
    page.evaluate((n) => {
      const w = window as unknown as { Clubpass: { request(o: object): Promise<string> }; __first: unknown };
      w.__first = w.Clubpass.request({ nonce: n, disclose: ['address'] }).catch((e: { code: string }) => e.code);
    }, nonce),
  );
  await expect(consent.getByTestId('consent-origin')).toHaveText(partnerServer.url);
  // Only this partner's credential is offered, not the shop's.
  await expect(consent.getByTestId('consent-credential-option')).toHaveCount(1);
  await expect(consent.getByTestId('consent-benefit')).toHaveText(partner.benefitTitle);
  const requestMessage = (await readProbe(page)).messages.find((m) => (m.data as { type?: string }).type === 'request');
  const id = String((requestMessage?.data as { id?: string } | undefined)?.id);
  expect(id).toMatch(/^[0-9a-f]{32}$/);
  await expect.poll(async () => clubpassTypes(await readProbe(page))).toEqual(['request', 'ack']);

  const attempts = await test.step('the page tries to answer, click, and reach the extension', async () => {
    // Even knowing the consent window's exact address does not help the page.
    const consentUrl = consent.url();
    return page.evaluate(
      async ({ id, extensionId, consentUrl }) => {
        const own = location.origin;
        // Forged answers of every shape, on the page's own window (where the content script listens).
        for (const data of [
          { clubpass: 1, type: 'consent', id, share: true, disclose: ['address'] },
          { clubpass: 1, type: 'decision', id, decision: { share: true } },
          { rpc: 'consent:decide', requestId: id, decision: { share: true, disclose: ['address'] } },
          { clubpass: 1, type: 'response', id, presentation: 'forged~' },
          { clubpass: 1, type: 'ack', id },
        ]) {
          window.postMessage(data, own);
          window.postMessage(data, '*');
        }
        // Synthetic input: it can only ever reach the page's own document.
        for (const key of ['Enter', ' ', 'Tab']) {
          document.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
        }
        document.body.dispatchEvent(new MouseEvent('click', { bubbles: true }));
        // The extension's pages are not reachable from the web.
        const runtime = (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime;
        const fetched = await fetch(consentUrl).then(
          () => 'loaded',
          () => 'refused',
        );
        const frame = document.createElement('iframe');
        frame.src = consentUrl;
        document.body.append(frame);
        await new Promise((resolve) => {
          frame.onload = resolve;
          frame.onerror = resolve;
          setTimeout(resolve, 2000);
        });
        let framed = 'unreadable';
        try {
          framed = frame.contentDocument?.querySelector('[data-testid="consent-root"]') ? 'consent' : 'empty';
        } catch {
          framed = 'unreadable';
        }
        return { sendMessage: typeof runtime?.sendMessage, extensionId, fetched, framed };
      },
      { id, extensionId: ext.extensionId, consentUrl },
    );
  });
  expect(attempts.sendMessage).toBe('undefined');
  expect(attempts.fetched).toBe('refused');
  expect(attempts.framed).not.toBe('consent');
  await snap(testInfo, page, '01-partner-page-after-forgeries');

  await test.step('a second request while the first is pending is refused at once, without a window', async () => {
    // Answered by the extension after it has seen every message above (messages are in order).
    expect(await request(page, nonce)).toBe('unavailable');
    expect(ext.consentWindows()).toHaveLength(1);
  });

  await test.step('nothing was produced: no presentation reached the page, the club redeemed nothing', async () => {
    const seen = await readProbe(page);
    const presentations = seen.messages
      .map((m) => m.data as { type?: string; presentation?: unknown })
      .filter((d) => d.type === 'response' && typeof d.presentation === 'string' && d.presentation !== 'forged~');
    expect(presentations).toEqual([]);
    // The consent window still waits for the member, undisturbed, with no opener the page could use.
    await expect(consent.getByTestId('consent-share')).toBeEnabled();
    await expect(consent.getByTestId('consent-error')).toHaveCount(0);
    expect(await consent.evaluate(() => window.opener)).toBeNull();
    await snap(testInfo, consent, '02-consent-still-waiting', false);
    const redemptions = await api.expect(200, 'GET', '/v1/admin/redemptions', { token: network.adminToken });
    expect(redemptions.data).toEqual([]);
  });

  await test.step('the member clicks Share: then, and only then, the presentation arrives', async () => {
    const closed = consent.waitForEvent('close');
    await consent.getByTestId('consent-share').click();
    await closed;
    let presentation = '';
    await expect
      .poll(async () => {
        const found = (await readProbe(page)).messages
          .map((m) => m.data as { type?: string; id?: string; presentation?: unknown })
          .find((d) => d.type === 'response' && d.id === id && d.presentation !== 'forged~');
        presentation = typeof found?.presentation === 'string' ? found.presentation : '';
        return presentation;
      })
      .toContain('~');
    const read = readPresentation(presentation);
    expect(read.payload.aud).toBe(partner.affiliateId);
    expect(read.disclosed).toEqual(['address']);
    expect(read.keyBinding?.payload).toMatchObject({ aud: partnerServer.url, nonce });
    // It is the real thing: the club redeems it for the partner.
    const redeemed = await api.call('POST', '/v1/redemptions', {
      token: partner.apiKey,
      headers: { 'idempotency-key': `safety-${Date.now()}` },
      body: { presentation, nonce, origin: partnerServer.url },
    });
    expect(redeemed.status).toBe(201);
    expect(Object.keys(redeemed.body.disclosed)).toEqual(['address']);
  });
  await page.close();
});

test('frames on a partner page, from another origin or the same one, get nothing', async () => {
  const testInfo = test.info();
  const page = await ext.context.newPage();
  await installProbe(page, ext.extensionId);
  await page.goto(`${partnerServer.url}/frames.html`);
  const same = page.frameLocator('#same');
  const cross = page.frameLocator('#cross');
  await expect(same.locator('h1')).toHaveText('Embedded (same origin)');
  await expect(cross.locator('h1')).toHaveText('Embedded (another origin)');
  const frames = {
    same: page.frames().find((f) => f.url() === `${partnerServer.url}/frame.html`),
    cross: page.frames().find((f) => f.url() === `${stranger.url}/frame.html`),
  };
  expect(frames.same).toBeDefined();
  expect(frames.cross).toBeDefined();

  // Before anyone asks, even a partner page sees nothing of the extension.
  const quiet = await readProbe(page);
  expect(quiet.messages).toEqual([]);
  expect(quiet.events).toEqual([]);

  const { nonce } = await network.api.expect(201, 'POST', '/v1/nonces', { token: partner.apiKey });
  const answers = await Promise.all([
    // Each frame calls the snippet it loaded itself…
    request(frames.same!, nonce),
    request(frames.cross!, nonce),
    // …and posts a request straight to the partner's top window.
    ...[frames.same!, frames.cross!].map((frame) =>
      frame.evaluate((n) => {
        window.parent.postMessage(
          { clubpass: 1, type: 'request', id: 'ab'.repeat(16), affiliate: 'x', nonce: n, disclose: ['address'] },
          '*',
        );
        return 'posted';
      }, nonce),
    ),
  ]);
  expect(answers).toEqual(['unavailable', 'unavailable', 'posted', 'posted']);
  expect(ext.consentWindows()).toHaveLength(0);
  const seen = await readProbe(page);
  // The top window received the frames' forged requests and answered none of them.
  expect(clubpassTypes(seen)).toEqual(['request', 'request']);
  expect(seen.messages.some((m) => m.fromOwnWindow)).toBe(false);
  await snap(testInfo, page, '01-partner-page-with-frames');

  await test.step('the top page of the same partner is answered (the check is the frame, not the site)', async () => {
    const consent = await consentFor(ext, () =>
      page.evaluate((n) => {
        const w = window as unknown as { Clubpass: { request(o: object): Promise<string> }; __top: unknown };
        w.__top = w.Clubpass.request({ nonce: n, disclose: ['address'] }).catch((e: { code: string }) => e.code);
      }, nonce),
    );
    expect(ext.consentWindows()).toHaveLength(1);
    const closed = consent.waitForEvent('close');
    await consent.getByTestId('consent-decline').click();
    await closed;
    expect(await page.evaluate(() => (window as unknown as { __top: Promise<string> }).__top)).toBe('unavailable');
  });
  await page.close();
});

test("another partner (the café) is not offered the shop's credential", async () => {
  const testInfo = test.info();
  const cafe = network.cafe!;
  const page = await ext.context.newPage();
  await page.goto(cafe.origin);
  await expect(page.getByTestId('merchant-cafe')).toBeVisible();
  const consent = await consentFor(ext, () => page.getByTestId('use-membership').click());
  await expect(consent.getByTestId('consent-affiliate')).toHaveText('Café Luma');
  await expect(consent.getByTestId('consent-empty')).toBeVisible();
  await expect(consent.getByTestId('consent-credential-option')).toHaveCount(0);
  await expect(consent.getByTestId('consent-get')).toHaveAttribute('data-benefit-id', cafe.benefitId);
  await snap(testInfo, consent, '01-cafe-consent-nothing-to-share', false);
  const closed = consent.waitForEvent('close');
  await consent.getByTestId('consent-decline').click();
  await closed;
  await expect(page.getByTestId('membership-error')).toHaveText(NOT_SHARED);
  await snap(testInfo, page, '02-cafe-not-shared');
  await page.close();
});

test('when the partner page goes away, its consent window closes and nothing is shared', async () => {
  const page = await ext.context.newPage();
  await installProbe(page, ext.extensionId);
  await page.goto(partnerServer.url);
  await page.waitForFunction(() => Boolean((window as { Clubpass?: unknown }).Clubpass));
  const { nonce } = await network.api.expect(201, 'POST', '/v1/nonces', { token: partner.apiKey });
  const consent = await consentFor(ext, () =>
    page.evaluate((n) => {
      const w = window as unknown as { Clubpass: { request(o: object): Promise<string> } };
      void w.Clubpass.request({ nonce: n, disclose: ['address'] }).catch(() => {});
    }, nonce),
  );
  // Loaded (with or without a credential to offer: an earlier test may have used it).
  await expect(consent.getByTestId('consent-decline')).toBeVisible();
  const closed = consent.waitForEvent('close');
  await page.goto(`${partnerServer.url}/frames.html`);
  await closed;
  expect(ext.consentWindows()).toHaveLength(0);
  // The page that replaced it was told nothing.
  expect((await readProbe(page)).messages).toEqual([]);
  await page.close();
});
