/**
 * The content script. Runs on every http(s) page, top frame only, and stays silent there: it only
 * asks the background whether the page's origin is a partner. On a partner page it relays the
 * snippet's requests (docs/snippet-messages.md) to the background and posts the answers back to
 * the page's own origin.
 *
 * It is built as an "unlisted script" and declared in wxt.config.ts rather than with
 * defineContentScript: WXT's content-script wrapper announces every script start to the page
 * (a CustomEvent on document and a window.postMessage to '*'), which would break the silence.
 */
import { browser } from 'wxt/browser';
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { PARTNER_CHECK, PRESENT_PORT, type PresentRequestMessage } from '../lib/messages.js';
import { startPageBridge } from '../lib/page-bridge.js';

function forward(request: PresentRequestMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const port = browser.runtime.connect({ name: PRESENT_PORT });
    let settled = false;
    const finish = (answer: unknown) => {
      if (settled) return;
      settled = true;
      resolve(answer);
    };
    port.onMessage.addListener((answer: unknown) => finish(answer));
    port.onDisconnect.addListener(() => finish({ error: 'unavailable' }));
    port.postMessage(request);
  });
}

export default defineUnlistedScript({
  main() {
    void startPageBridge({
      origin: window.location.origin,
      isTopFrame: window.top === window,
      isOwnWindow: (source) => source === window,
      addMessageListener: (listener) => window.addEventListener('message', listener),
      removeMessageListener: (listener) => window.removeEventListener('message', listener),
      postToPage: (message, targetOrigin) => window.postMessage(message, targetOrigin),
      askPartner: async () => {
        const answer = (await browser.runtime.sendMessage({ type: PARTNER_CHECK })) as
          | { partner?: unknown }
          | undefined;
        return answer?.partner === true;
      },
      forward,
    });
  },
});
