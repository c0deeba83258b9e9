import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, expect, type Page } from '@playwright/test';
import type { MemberDetails } from './club-api.js';
import { CHROMIUM, EXTENSION_DIR } from './paths.js';

/** Chromium with the built Clubpass extension loaded, in a fresh profile. */
export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  /** chrome-extension://<id>/<path> */
  url(path: string): string;
  /** The extension's consent windows now open. */
  consentWindows(): Page[];
  close(): Promise<void>;
}

export async function launchWithExtension(): Promise<ExtensionBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'clubpass-e2e-profile-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1000, height: 760 },
      args: [
        `--disable-extensions-except=${EXTENSION_DIR}`,
        `--load-extension=${EXTENSION_DIR}`,
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  const url = (path: string) => `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`;
  return {
    context,
    extensionId,
    url,
    consentWindows: () => context.pages().filter((p) => p.url().startsWith(url('consent.html'))),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Points the extension at `clubUrl` on its options page and waits until it has verified the
 * club's signed directory. Returns the options page (still open) for a screenshot.
 */
export async function setClubUrl(ext: ExtensionBrowser, clubUrl: string, partners: number): Promise<Page> {
  const options = await ext.context.newPage();
  await options.setViewportSize({ width: 760, height: 720 });
  await options.goto(ext.url('options.html'));
  await options.getByTestId('options-club-url').fill(clubUrl);
  await options.getByTestId('options-save').click();
  await expect(options.getByTestId('options-partner-count')).toHaveText(String(partners));
  return options;
}

/** The extension's popup, opened in a tab at the popup's size. */
export async function openPopup(ext: ExtensionBrowser): Promise<Page> {
  const popup = await ext.context.newPage();
  await popup.setViewportSize({ width: 380, height: 640 });
  await popup.goto(ext.url('popup.html'));
  await expect(popup.getByTestId('popup-root')).toBeVisible();
  return popup;
}

/** Creates the member's account in the popup ("Create account"), postal address included. */
export async function signUpInPopup(popup: Page, member: MemberDetails): Promise<void> {
  await popup.getByTestId('auth-tab-signup').click();
  await popup.getByTestId('signup-given-name').fill(member.given_name);
  await popup.getByTestId('signup-family-name').fill(member.family_name);
  await popup.getByTestId('signup-email').fill(member.email);
  await popup.getByTestId('signup-password').fill(member.password);
  await popup.getByTestId('signup-address-toggle').click();
  await popup.getByTestId('signup-street').fill(member.address.street_address);
  await popup.getByTestId('signup-postal-code').fill(member.address.postal_code);
  await popup.getByTestId('signup-locality').fill(member.address.locality);
  await popup.getByTestId('signup-country').fill(member.address.country);
}

export async function signInInPopup(popup: Page, member: MemberDetails): Promise<void> {
  await popup.getByTestId('auth-tab-signin').click();
  await popup.getByTestId('signin-email').fill(member.email);
  await popup.getByTestId('signin-password').fill(member.password);
  await popup.getByTestId('signin-submit').click();
  await expect(popup.getByTestId('member-name')).toHaveText(`${member.given_name} ${member.family_name}`);
}

/** Gets a benefit from the popup's catalog and waits until it is held. */
export async function getBenefitInPopup(popup: Page, benefitId: string): Promise<void> {
  await popup.getByTestId('tab-catalog').click();
  const item = popup.locator(`[data-testid="catalog-item"][data-benefit-id="${benefitId}"]`);
  await item.getByTestId('get-button').click();
  await expect(item.getByTestId('catalog-item-held')).toBeVisible();
}

/** Runs `action` (which makes a partner page ask) and returns the consent window it opened. */
export async function consentFor(ext: ExtensionBrowser, action: () => Promise<unknown>): Promise<Page> {
  const isConsent = (page: Page) => page.url().startsWith(ext.url('consent.html'));
  const opened = ext.context.waitForEvent('page', {
    predicate: async (page) => {
      if (!isConsent(page)) await page.waitForLoadState('domcontentloaded').catch(() => {});
      return isConsent(page);
    },
  });
  await action();
  const consent = await opened;
  await expect(consent.getByTestId('consent-root')).toBeVisible();
  // Taller than the real window (440×680), so a screenshot shows everything above the sticky footer.
  await consent.setViewportSize({ width: 440, height: 900 });
  return consent;
}
