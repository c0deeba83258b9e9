/**
 * The background's handling of a partner's request: it opens the consent window, waits for the
 * member, and answers the page once. Browser APIs and storage are injected, so the whole flow is
 * tested under Node (with real credentials and a real presentation).
 */
import { type Clock, type HolderKey, presentCredential } from '@clubpass/shared';
import { buildConsentView, type ConsentView, checkDecision } from './consent.js';
import { credentialsForAffiliates, type StoredCredential } from './credentials.js';
import type { DirectoryAffiliate } from './directory.js';
import type { ConsentDecision, PresentRequestMessage } from './messages.js';

/** What the page is told: a presentation, or `unavailable` (declined, closed, nothing to offer). */
export type PageAnswer = { presentation: string } | { error: 'unavailable' };

export interface ConsentBrokerDeps {
  clock: Clock;
  /** Opens the extension's consent window for a request; returns its window id. */
  openWindow(requestId: string): Promise<number>;
  closeWindow(windowId: number): Promise<void>;
  /** Every credential this browser holds. */
  credentials(): Promise<StoredCredential[]>;
  holderKey(): Promise<HolderKey>;
  randomId(): string;
}

interface Pending {
  requestId: string;
  tabId: number;
  /** The page's origin as the browser reported it: the KB-JWT `aud`. */
  origin: string;
  affiliates: DirectoryAffiliate[];
  /** The club the directory came from: only its credentials are offered. */
  issuer: string;
  nonce: string;
  requested: string[];
  reply: (answer: PageAnswer) => void;
  windowId: number | null;
  createdAt: number;
}

/** At most this many consent windows are open at once; more requests are answered `unavailable`. */
export const MAX_PENDING = 3;
/** A request nobody answered is dropped after this long (the snippet's own timeout is shorter). */
export const MAX_PENDING_MS = 15 * 60 * 1000;

export class ConsentBroker {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly deps: ConsentBrokerDeps) {}

  get size(): number {
    return this.pending.size;
  }

  /**
   * Starts a request from a partner page. `origin` and `tabId` come from the browser (the port's
   * sender), `affiliates` from the verified directory, `request` from the page (untrusted, validated).
   * One request per tab at a time; a second one is answered `unavailable` at once.
   */
  async begin(input: {
    tabId: number;
    origin: string;
    affiliates: DirectoryAffiliate[];
    issuer: string;
    request: PresentRequestMessage;
    reply: (answer: PageAnswer) => void;
  }): Promise<string | null> {
    this.expireOld();
    const busy = [...this.pending.values()].some((p) => p.tabId === input.tabId);
    if (busy || this.pending.size >= MAX_PENDING || input.affiliates.length === 0) {
      input.reply({ error: 'unavailable' });
      return null;
    }
    const requestId = this.deps.randomId();
    const entry: Pending = {
      requestId,
      tabId: input.tabId,
      origin: input.origin,
      affiliates: input.affiliates,
      issuer: input.issuer,
      nonce: input.request.nonce,
      requested: input.request.disclose,
      reply: input.reply,
      windowId: null,
      createdAt: this.deps.clock.now().getTime(),
    };
    this.pending.set(requestId, entry);
    try {
      const windowId = await this.deps.openWindow(requestId);
      if (this.pending.get(requestId) === entry) entry.windowId = windowId;
      else await this.deps.closeWindow(windowId); // settled while the window was opening
    } catch {
      this.settle(requestId, { error: 'unavailable' });
      return null;
    }
    return requestId;
  }

  private async offered(entry: Pending): Promise<StoredCredential[]> {
    const ids = entry.affiliates.map((a) => a.id);
    return credentialsForAffiliates(await this.deps.credentials(), ids, entry.issuer, this.deps.clock.now());
  }

  /** What the consent window shows for a request, or null when it is no longer pending. */
  async view(requestId: string): Promise<ConsentView | null> {
    const entry = this.pending.get(requestId);
    if (!entry) return null;
    return buildConsentView({
      requestId,
      origin: entry.origin,
      affiliates: entry.affiliates,
      requested: entry.requested,
      offered: await this.offered(entry),
    });
  }

  /** True while the request waits for the member (the consent page's heartbeat). */
  isPending(requestId: string): boolean {
    this.expireOld();
    return this.pending.has(requestId);
  }

  /**
   * The member's answer from the consent window. Share builds the presentation with the holder key
   * for the browser-reported origin and the page's nonce; anything else declines.
   */
  async decide(requestId: string, decision: ConsentDecision): Promise<{ ok: true } | { ok: false; message: string }> {
    const entry = this.pending.get(requestId);
    if (!entry) return { ok: false, message: 'This request has already been answered or has expired.' };
    const checked = checkDecision(decision, await this.offered(entry), entry.requested);
    if ('invalid' in checked) return { ok: false, message: checked.invalid };
    if (!checked.share) {
      this.settle(requestId, { error: 'unavailable' });
      return { ok: true };
    }
    const holder = await this.deps.holderKey();
    const presentation = await presentCredential({
      credential: checked.credential.credential,
      disclose: checked.disclose,
      keyBinding: { holder, origin: entry.origin, nonce: entry.nonce, clock: this.deps.clock },
    });
    this.settle(requestId, { presentation });
    return { ok: true };
  }

  /** The consent window was closed: the member declined. */
  windowClosed(windowId: number): void {
    for (const entry of this.pending.values()) {
      if (entry.windowId === windowId) {
        entry.windowId = null;
        this.settle(entry.requestId, { error: 'unavailable' });
      }
    }
  }

  /** The page went away (navigated, closed): nobody is left to answer; close its window. */
  senderGone(requestId: string): void {
    this.settle(requestId, { error: 'unavailable' });
  }

  tabClosed(tabId: number): void {
    for (const entry of [...this.pending.values()]) if (entry.tabId === tabId) this.senderGone(entry.requestId);
  }

  private expireOld(): void {
    const now = this.deps.clock.now().getTime();
    for (const entry of [...this.pending.values()]) {
      if (now - entry.createdAt > MAX_PENDING_MS) this.settle(entry.requestId, { error: 'unavailable' });
    }
  }

  private settle(requestId: string, answer: PageAnswer): void {
    const entry = this.pending.get(requestId);
    if (!entry) return;
    this.pending.delete(requestId);
    try {
      entry.reply(answer);
    } catch {
      // The page may be gone; there is nobody else to tell.
    }
    if (entry.windowId !== null) this.deps.closeWindow(entry.windowId).catch(() => undefined);
  }
}
