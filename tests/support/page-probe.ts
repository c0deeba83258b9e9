import type { Page } from '@playwright/test';

/** What a page could observe of an extension: messages, events, DOM changes. */
export interface ProbeRecord {
  /** Every `message` event on the window, in order, with its data (JSON copy) and whether it came from the window itself. */
  messages: { data: unknown; origin: string; fromOwnWindow: boolean; at: number }[];
  /** Every watched event type dispatched on document or window. */
  events: string[];
  /** Every DOM mutation from the very start of the document, as short descriptors. */
  mutations: string[];
}

/**
 * Event names an extension built with WXT would announce itself with (WXT's content-script
 * wrapper dispatches `<extension id>:<entrypoint>:wxt:content-script-started` on document and
 * posts it to '*'), plus generic ones.
 */
function watchedEvents(extensionId: string | null): string[] {
  const names = ['clubpass', 'clubpass:ready', 'clubpass:installed', 'wxt:content-script-started'];
  if (extensionId) {
    for (const entry of ['clubpass-content', 'content']) {
      names.push(`${extensionId}:${entry}:wxt:content-script-started`, `${extensionId}:${entry}:wxt:locationchange`);
    }
  }
  return names;
}

/**
 * Installs the probe before any of the page's own scripts (page.addInitScript, every frame): a
 * capturing `message` listener on window, listeners for the watched events on document and
 * window, and a MutationObserver on the whole document.
 */
export async function installProbe(page: Page, extensionId: string | null): Promise<void> {
  await page.addInitScript((names: string[]) => {
    const record = { messages: [] as unknown[], events: [] as string[], mutations: [] as string[] };
    Object.defineProperty(window, '__probe', { value: record, enumerable: false });
    const copy = (data: unknown) => {
      try {
        return JSON.parse(JSON.stringify(data)) as unknown;
      } catch {
        return String(data);
      }
    };
    window.addEventListener(
      'message',
      (event) =>
        record.messages.push({
          data: copy(event.data),
          origin: event.origin,
          fromOwnWindow: event.source === window,
          at: Date.now(),
        }),
      true,
    );
    for (const name of names) {
      document.addEventListener(name, () => record.events.push(`document:${name}`), true);
      window.addEventListener(name, () => record.events.push(`window:${name}`), true);
    }
    const label = (node: Node | null) =>
      node === null
        ? 'null'
        : node.nodeType === Node.ELEMENT_NODE
          ? `${node.nodeName}${(node as Element).id ? `#${(node as Element).id}` : ''}`
          : node.nodeName;
    new MutationObserver((list) => {
      for (const m of list) {
        if (m.type === 'childList') {
          for (const n of Array.from(m.addedNodes)) record.mutations.push(`+${label(m.target)}>${label(n)}`);
          for (const n of Array.from(m.removedNodes)) record.mutations.push(`-${label(m.target)}>${label(n)}`);
        } else if (m.type === 'attributes') {
          record.mutations.push(`@${label(m.target)}[${m.attributeName}]`);
        } else {
          record.mutations.push(`~${label(m.target.parentNode)}`);
        }
      }
    }).observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
  }, watchedEvents(extensionId));
}

export async function readProbe(page: Page): Promise<ProbeRecord> {
  return page.evaluate(() => (window as unknown as { __probe: ProbeRecord }).__probe);
}

/** The Clubpass messages the page saw, as `type` strings (`request`, `ack`, `response`). */
export function clubpassTypes(record: ProbeRecord): string[] {
  return record.messages
    .map((m) => m.data as { clubpass?: unknown; type?: unknown })
    .filter((d) => d !== null && typeof d === 'object' && d.clubpass === 1)
    .map((d) => String(d.type));
}
