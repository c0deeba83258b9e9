/**
 * The background service worker: the only context that holds the session token, the credentials
 * and the holder key, talks to the club, and answers partner pages (through the content script)
 * after the member consents in the extension's own window.
 */
import { type Browser, browser } from 'wxt/browser';
import { type CatalogEntry, ClubClient } from '../lib/club-client.js';
import { ConsentBroker, type PageAnswer } from '../lib/consent-broker.js';
import {
  applyServerStatus,
  isUsable,
  mergeCredentialViews,
  parseServerCredentials,
  type ServerCredential,
  type StoredCredential,
  toStoredCredential,
} from '../lib/credentials.js';
import { affiliatesForOrigin, type Directory } from '../lib/directory.js';
import {
  isPartnerCheck,
  PRESENT_PORT,
  parsePresentRequest,
  parseRpc,
  type Rpc,
  type RpcResult,
  type SignUpInput,
  type UiProblem,
} from '../lib/messages.js';
import { isExtensionPageSender, parseClubUrl, type SenderInfo, topFrameOrigin } from '../lib/origins.js';
import { internalProblem, problem } from '../lib/problem.js';
import { BADGE_ALARM, clearAll, forgetTab, markTab, repaintAll } from './badge.js';
import {
  currentDirectory,
  directoryError,
  forgetDirectory,
  refreshDirectory,
  staleForMiss,
} from './directory-cache.js';
import { holderKey, holderSigningKey } from './holder-key.js';
import {
  adoptOwner,
  allCredentials,
  clearSession,
  loadClubUrl,
  loadSession,
  lockSessionStorage,
  putCredential,
  type SessionRecord,
  saveClubUrl,
  saveSession,
} from './stores.js';

const DIRECTORY_ALARM = 'clubpass-directory';
const clock = { now: () => new Date() };

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const broker = new ConsentBroker({
  clock,
  randomId,
  credentials: () => allCredentials(),
  holderKey: () => holderSigningKey(),
  async openWindow(requestId) {
    const width = 440;
    const height = 680;
    const created = await browser.windows.create({
      url: browser.runtime.getURL(`/consent.html?request=${requestId}`),
      type: 'popup',
      width,
      height,
      focused: true,
    });
    if (typeof created?.id !== 'number') throw new Error('the consent window did not open');
    return created.id;
  },
  async closeWindow(windowId) {
    await browser.windows.remove(windowId);
  },
});

function client(clubUrl: string): ClubClient {
  return new ClubClient(clubUrl, (input, init) => fetch(input, init));
}

async function issuerOf(clubUrl: string): Promise<string | null> {
  return (await currentDirectory(clubUrl))?.issuer ?? null;
}

async function repaint(): Promise<void> {
  const clubUrl = await loadClubUrl();
  await repaintAll(await allCredentials(), await issuerOf(clubUrl));
}

/* ---------------------------------------------------------------------------------------- */
/* Partner pages                                                                              */

/** The affiliates whose directory entry lists this exact origin, refetching once on a stale miss. */
async function partnersFor(
  origin: string,
): Promise<{ directory: Directory; affiliates: Directory['affiliates'] } | null> {
  const clubUrl = await loadClubUrl();
  let directory = await currentDirectory(clubUrl);
  let affiliates = directory ? affiliatesForOrigin(directory, origin) : [];
  if (affiliates.length === 0 && staleForMiss(directory, clock.now())) {
    directory = await refreshDirectory(clubUrl);
    affiliates = directory ? affiliatesForOrigin(directory, origin) : [];
  }
  return directory && affiliates.length > 0 ? { directory, affiliates } : null;
}

async function partnerCheck(sender: SenderInfo): Promise<{ partner: boolean }> {
  const origin = topFrameOrigin(sender);
  const tabId = sender.tab?.id;
  if (origin === null || typeof tabId !== 'number') return { partner: false };
  const found = await partnersFor(origin);
  if (found === null) {
    await markTab(tabId, null, [], null);
    return { partner: false };
  }
  const { directory, affiliates } = found;
  await markTab(
    tabId,
    { origin, affiliateIds: affiliates.map((a) => a.id), name: affiliates.map((a) => a.name).join(', ') },
    await allCredentials(),
    directory.issuer,
  );
  return { partner: true };
}

function onPresentPort(port: Browser.runtime.Port): void {
  if (port.name !== PRESENT_PORT) return;
  const sender = port.sender as SenderInfo | undefined;
  let requestId: string | null = null;
  let answered = false;
  const reply = (answer: PageAnswer) => {
    if (answered) return;
    answered = true;
    try {
      port.postMessage(answer);
      port.disconnect();
    } catch {
      // The page went away.
    }
  };
  let gone = false;
  port.onDisconnect.addListener(() => {
    gone = true;
    answered = true;
    if (requestId !== null) broker.senderGone(requestId);
  });
  let started = false;
  port.onMessage.addListener(async (message: unknown) => {
    // One request per port: anything after the first message is ignored.
    if (started || answered) return;
    started = true;
    const request = parsePresentRequest(message);
    const origin = sender && sender.id === browser.runtime.id ? topFrameOrigin(sender) : null;
    const tabId = sender?.tab?.id;
    if (request === null || origin === null || typeof tabId !== 'number') return reply({ error: 'unavailable' });
    const found = await partnersFor(origin);
    if (found === null) return reply({ error: 'unavailable' });
    if (gone) return;
    requestId = await broker.begin({
      tabId,
      origin,
      affiliates: found.affiliates,
      issuer: found.directory.issuer,
      request,
      reply,
    });
    // The page went away while the window was opening.
    if (gone && requestId !== null) broker.senderGone(requestId);
  });
}

/* ---------------------------------------------------------------------------------------- */
/* The extension's own pages                                                                  */

function fail<T>(p: UiProblem): RpcResult<T> {
  return { ok: false, problem: p };
}

async function session(clubUrl: string): Promise<SessionRecord | null> {
  return loadSession(clubUrl, clock.now());
}

/** A member call answered 401: the session is gone, so forget it here too. */
async function onAuthFailure<T>(result: RpcResult<T>): Promise<RpcResult<T>> {
  if (!result.ok && result.problem.status === 401 && result.problem.code === 'unauthorized') await clearSession();
  return result;
}

async function state() {
  const clubUrl = await loadClubUrl();
  const current = await session(clubUrl);
  const key = await holderKey();
  const directory = await currentDirectory(clubUrl);
  return {
    clubUrl,
    signedIn: current !== null,
    member: current?.member ?? null,
    sessionExpiresAt: current?.expiresAt ?? null,
    holder: { alg: key.alg, kid: key.kid },
    directory: directory
      ? { partners: directory.affiliates.length, expiresAt: new Date(directory.expiresAt).toISOString() }
      : null,
    directoryError: directoryError(),
  };
}

async function signIn(email: string, password: string): Promise<RpcResult<unknown>> {
  const clubUrl = await loadClubUrl();
  const club = client(clubUrl);
  const signed = await club.signIn(email, password);
  if (!signed.ok) return signed;
  if (signed.value.role !== 'member') {
    await club.signOut(signed.value.token);
    return fail(
      problem('forbidden', 'This is an administrator account.', 'Sign in with a member account to use Clubpass.'),
    );
  }
  const me = await club.me(signed.value.token);
  if (!me.ok) return me;
  await saveSession({ clubUrl, token: signed.value.token, expiresAt: signed.value.expiresAt, member: me.value });
  await adoptOwner(me.value.id);
  await repaint();
  return { ok: true, value: await state() };
}

async function signUp(input: SignUpInput): Promise<RpcResult<unknown>> {
  const clubUrl = await loadClubUrl();
  const created = await client(clubUrl).signUp(input);
  if (!created.ok) return created;
  return signIn(input.email, input.password);
}

async function signOut(): Promise<RpcResult<unknown>> {
  const clubUrl = await loadClubUrl();
  const current = await session(clubUrl);
  if (current) await client(clubUrl).signOut(current.token); // the local session ends whatever the club says
  await clearSession();
  return { ok: true, value: await state() };
}

let catalogCache: { clubUrl: string; entries: CatalogEntry[] } | null = null;

async function catalog(): Promise<RpcResult<unknown>> {
  const clubUrl = await loadClubUrl();
  const result = await client(clubUrl).catalog();
  if (!result.ok) return result;
  catalogCache = { clubUrl, entries: result.value };
  const held = (await allCredentials()).filter((c) => isUsable(c, clock.now()));
  return {
    ok: true,
    value: result.value.map((entry) => ({ ...entry, held: held.some((c) => c.benefit.id === entry.id) })),
  };
}

async function getCredential(benefitId: string): Promise<RpcResult<unknown>> {
  const clubUrl = await loadClubUrl();
  const current = await session(clubUrl);
  if (!current) return fail(problem('unauthorized', 'Please sign in first.', '', 401));
  const directory = await currentDirectory(clubUrl);
  const discovery = directory ? null : await client(clubUrl).discovery();
  const issuer =
    directory?.issuer ??
    (discovery?.ok && typeof (discovery.value as { issuer?: unknown }).issuer === 'string'
      ? (discovery.value as { issuer: string }).issuer
      : null);
  if (issuer === null) return fail(problem('network_error', 'Cannot reach your club.', directoryError() ?? ''));
  const key = await holderKey();
  const result = await onAuthFailure(await client(clubUrl).issueCredential(current.token, benefitId, key.publicJwk));
  if (!result.ok) return result;
  const entry = catalogCache?.clubUrl === clubUrl ? catalogCache.entries.find((e) => e.id === benefitId) : undefined;
  let stored: StoredCredential;
  try {
    stored = toStoredCredential({
      response: result.value,
      memberId: current.member.id,
      issuer,
      affiliateName: entry?.affiliate.name ?? null,
      requires: entry?.requires ?? [],
      now: clock.now(),
    });
  } catch (error) {
    return fail(problem('invalid_credential', 'The club sent a credential Clubpass cannot use.', String(error)));
  }
  if (!entry) {
    const named = directory?.affiliates.find((a) => a.id === stored.aud);
    if (named) stored.affiliate = { id: named.id, name: named.name };
  }
  await putCredential(stored);
  await repaint();
  return { ok: true, value: { id: stored.id, benefit: stored.benefit, affiliate: stored.affiliate } };
}

/**
 * Brings the stored credentials' status up to date with the club (redeemed, revoked, expired).
 * Returns the club's list, or the problem when it could not be read.
 */
async function syncStatuses(
  clubUrl: string,
  current: SessionRecord,
): Promise<{ server: ServerCredential[] } | { problem: UiProblem }> {
  const listed = await onAuthFailure(await client(clubUrl).listCredentials(current.token));
  if (!listed.ok) return { problem: listed.problem };
  const server = parseServerCredentials(listed.value);
  const stored = (await allCredentials()).filter((c) => c.memberId === current.member.id);
  const changed = applyServerStatus(stored, server);
  for (const record of changed) await putCredential(record);
  if (changed.length > 0) await repaint();
  return { server };
}

async function credentials(): Promise<RpcResult<unknown>> {
  const clubUrl = await loadClubUrl();
  const current = await session(clubUrl);
  let server: ServerCredential[] | null = null;
  let warning: UiProblem | null = null;
  if (current) {
    const synced = await syncStatuses(clubUrl, current);
    if ('server' in synced) server = synced.server;
    else if (synced.problem.code === 'unauthorized') return fail(synced.problem);
    else warning = synced.problem;
  }
  let stored = await allCredentials();
  if (current) stored = stored.filter((c) => c.memberId === current.member.id);
  return { ok: true, value: { items: mergeCredentialViews(server, stored, clock.now()), warning } };
}

/** Before the consent window lists credentials, learn which were used since (bounded wait). */
async function syncBeforeConsent(): Promise<void> {
  const clubUrl = await loadClubUrl();
  const current = await session(clubUrl);
  if (!current) return;
  await Promise.race([
    syncStatuses(clubUrl, current).catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, 2000)),
  ]);
}

async function setClubUrl(input: string): Promise<RpcResult<unknown>> {
  const parsed = parseClubUrl(input);
  if (!parsed.ok) {
    return fail({
      ...problem('invalid_request', parsed.message),
      fieldErrors: [{ path: 'clubUrl', message: parsed.message }],
    });
  }
  const previous = await loadClubUrl();
  if (parsed.url !== previous) {
    const current = await session(previous);
    if (current) await client(previous).signOut(current.token);
    await clearSession();
    await saveClubUrl(parsed.url);
    await forgetDirectory();
    catalogCache = null;
    await clearAll();
  }
  await refreshDirectory(parsed.url, true);
  return { ok: true, value: await state() };
}

async function handleRpc(rpc: Rpc): Promise<RpcResult<unknown>> {
  switch (rpc.rpc) {
    case 'state':
      return { ok: true, value: await state() };
    case 'signIn':
      return signIn(rpc.email, rpc.password);
    case 'signUp':
      return signUp(rpc.input);
    case 'signOut':
      return signOut();
    case 'catalog':
      return catalog();
    case 'getCredential':
      return getCredential(rpc.benefitId);
    case 'credentials':
      return credentials();
    case 'setClubUrl':
      return setClubUrl(rpc.clubUrl);
    case 'refreshDirectory': {
      await refreshDirectory(await loadClubUrl(), true);
      return { ok: true, value: await state() };
    }
    case 'consent:get': {
      if (broker.isPending(rpc.requestId)) await syncBeforeConsent();
      const view = await broker.view(rpc.requestId);
      return view
        ? { ok: true, value: view }
        : fail(problem('gone', 'This request is no longer waiting.', 'The page stopped waiting or was closed.'));
    }
    case 'consent:decide': {
      const decided = await broker.decide(rpc.requestId, rpc.decision);
      return decided.ok ? { ok: true, value: null } : fail(problem('invalid_request', decided.message));
    }
    case 'consent:ping':
      return { ok: true, value: { pending: broker.isPending(rpc.requestId) } };
  }
}

export function main(): void {
  // Everything is registered synchronously, on the worker's first turn, as MV3 requires.
  lockSessionStorage().catch((error) => console.error('Clubpass: could not restrict storage.session', error));

  browser.runtime.onMessage.addListener((message: unknown, sender, sendResponse: (r: unknown) => void) => {
    const from = sender as SenderInfo;
    if (isPartnerCheck(message)) {
      if (from.id !== browser.runtime.id) return false;
      partnerCheck(from)
        .then(sendResponse)
        .catch(() => sendResponse({ partner: false }));
      return true;
    }
    // Everything else is for the extension's own pages only; a content script gets no answer.
    if (!isExtensionPageSender(from, browser.runtime.id, browser.runtime.getURL('/'))) return false;
    const rpc = parseRpc(message);
    if (rpc === null) return false;
    handleRpc(rpc)
      .catch((error): RpcResult<unknown> => ({ ok: false, problem: internalProblem(error) }))
      .then(sendResponse);
    return true;
  });

  browser.runtime.onConnect.addListener(onPresentPort);
  browser.windows.onRemoved.addListener((windowId) => broker.windowClosed(windowId));
  browser.tabs.onRemoved.addListener((tabId) => {
    broker.tabClosed(tabId);
    forgetTab(tabId).catch(() => undefined);
  });

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === DIRECTORY_ALARM) {
      loadClubUrl()
        .then((url) => refreshDirectory(url))
        .then(() => repaint())
        .catch(() => undefined);
    } else if (alarm.name === BADGE_ALARM) {
      repaint().catch(() => undefined);
    }
  });

  const warmUp = () => {
    browser.alarms.create(DIRECTORY_ALARM, { periodInMinutes: 15 }).catch(() => undefined);
    holderKey().catch((error) => console.error('Clubpass: no holder key', error));
    loadClubUrl()
      .then((url) => refreshDirectory(url))
      .catch(() => undefined);
  };
  browser.runtime.onInstalled.addListener(warmUp);
  browser.runtime.onStartup.addListener(warmUp);
}
