/**
 * The content script's logic, with the browser injected so it is tested under Node.
 *
 * Silent by default: until the background has said the page's origin is a partner, nothing is
 * posted to the page, no DOM is touched and no event is dispatched. Messages that arrive while the
 * answer is pending are held (never answered) and dropped if the page is not a partner.
 */
import {
  ackMessage,
  type PageReply,
  type PageRequest,
  type PresentRequestMessage,
  parsePageRequest,
  responseMessage,
} from './messages.js';
import { canonicalOrigin } from './origins.js';

export interface PageMessageEvent {
  source: unknown;
  origin: string;
  data: unknown;
}

export interface BridgeEnv {
  /** `location.origin` of the page the script runs in. */
  origin: string;
  isTopFrame: boolean;
  /** True when `source` is the page's own window (`event.source === window`). */
  isOwnWindow(source: unknown): boolean;
  addMessageListener(listener: (event: PageMessageEvent) => void): void;
  removeMessageListener(listener: (event: PageMessageEvent) => void): void;
  /** `window.postMessage(message, targetOrigin)`. */
  postToPage(message: PageReply, targetOrigin: string): void;
  /** Asks the background whether this page is a partner (it decides from the browser-reported sender). */
  askPartner(): Promise<boolean>;
  /** Forwards a request to the background and resolves with its single answer. */
  forward(request: PresentRequestMessage): Promise<unknown>;
}

/** Requests held while the partner check is pending; more are dropped. */
const MAX_HELD = 8;

/**
 * Starts the bridge. Resolves with `partner` once it listens for requests, or `silent` when the
 * page is not a partner (or not a top-level http(s) page), in which case no listener is left.
 */
export async function startPageBridge(env: BridgeEnv): Promise<'partner' | 'silent'> {
  if (!env.isTopFrame || canonicalOrigin(env.origin) === null) return 'silent';

  let state: 'checking' | 'partner' | 'silent' = 'checking';
  const held: PageRequest[] = [];
  const inFlight = new Set<string>();

  const handle = (request: PageRequest) => {
    if (inFlight.has(request.id)) return;
    inFlight.add(request.id);
    env.postToPage(ackMessage(request.id), env.origin);
    env
      .forward({ type: 'present', id: request.id, nonce: request.nonce, disclose: request.disclose })
      .catch(() => ({ error: 'unavailable' }))
      .then((answer) => {
        inFlight.delete(request.id);
        env.postToPage(responseMessage(request.id, answer), env.origin);
      });
  };

  const listener = (event: PageMessageEvent) => {
    if (!env.isOwnWindow(event.source) || event.origin !== env.origin) return;
    const request = parsePageRequest(event.data);
    if (request === null) return;
    if (state === 'partner') handle(request);
    else if (state === 'checking' && held.length < MAX_HELD) held.push(request);
  };

  env.addMessageListener(listener);
  let partner = false;
  try {
    partner = await env.askPartner();
  } catch {
    partner = false;
  }
  if (!partner) {
    state = 'silent';
    held.length = 0;
    env.removeMessageListener(listener);
    return 'silent';
  }
  state = 'partner';
  for (const request of held.splice(0)) handle(request);
  return 'partner';
}
