/**
 * The toolbar badge: on a partner page, the number of usable credentials for that partner; empty
 * everywhere else. Tab-specific values are set when the page's content script checks in (the
 * browser resets them when the tab navigates), and recomputed when credentials change.
 */
import { browser } from 'wxt/browser';
import { badgeText, credentialsForAffiliates, nextExpiry, type StoredCredential } from '../lib/credentials.js';

interface PartnerTab {
  origin: string;
  affiliateIds: string[];
  name: string;
}

const KEY = 'partnerTabs';
export const BADGE_ALARM = 'clubpass-badge';

async function loadTabs(): Promise<Record<string, PartnerTab>> {
  const stored = (await browser.storage.session.get(KEY)) as Record<string, Record<string, PartnerTab> | undefined>;
  return stored[KEY] ?? {};
}

async function saveTabs(tabs: Record<string, PartnerTab>): Promise<void> {
  await browser.storage.session.set({ [KEY]: tabs });
}

async function paint(tabId: number, tab: PartnerTab | null, credentials: StoredCredential[], issuer: string | null) {
  try {
    if (tab === null || issuer === null) {
      await browser.action.setBadgeText({ tabId, text: '' });
      await browser.action.setTitle({ tabId, title: 'Clubpass' });
      return;
    }
    const count = credentialsForAffiliates(credentials, tab.affiliateIds, issuer, new Date()).length;
    await browser.action.setBadgeText({ tabId, text: badgeText(count) });
    await browser.action.setBadgeBackgroundColor({ tabId, color: count > 0 ? '#0f766e' : '#6b7280' });
    await browser.action.setTitle({
      tabId,
      title: `Clubpass: ${count} credential${count === 1 ? '' : 's'} ready for ${tab.name}`,
    });
  } catch {
    // The tab closed in the meantime.
  }
}

/** Records what a tab's top frame is (a partner or not) and paints its badge. */
export async function markTab(
  tabId: number,
  partner: PartnerTab | null,
  credentials: StoredCredential[],
  issuer: string | null,
): Promise<void> {
  const tabs = await loadTabs();
  if (partner === null) delete tabs[tabId];
  else tabs[tabId] = partner;
  await saveTabs(tabs);
  await paint(tabId, partner, credentials, issuer);
}

export async function forgetTab(tabId: number): Promise<void> {
  const tabs = await loadTabs();
  if (!(tabId in tabs)) return;
  delete tabs[tabId];
  await saveTabs(tabs);
}

/** Repaints every partner tab (after credentials changed, or one expired) and schedules the next expiry. */
export async function repaintAll(credentials: StoredCredential[], issuer: string | null): Promise<void> {
  const tabs = await loadTabs();
  await Promise.all(Object.entries(tabs).map(([id, tab]) => paint(Number(id), tab, credentials, issuer)));
  const next = nextExpiry(credentials, new Date());
  await browser.alarms.clear(BADGE_ALARM);
  if (next !== null) await browser.alarms.create(BADGE_ALARM, { when: Math.max(next + 1000, Date.now() + 30_000) });
}

/** Clears every partner tab's badge (after the club changed). */
export async function clearAll(): Promise<void> {
  const tabs = await loadTabs();
  await Promise.all(Object.keys(tabs).map((id) => paint(Number(id), null, [], null)));
  await saveTabs({});
}
