/**
 * The consent window: an extension page in its own browser window, so the partner page can neither
 * see, restyle nor click it. It shows who asks (name and exact origin), which credential and which
 * details would be shared, and answers Share or Decline through the background.
 */
import type { CatalogEntry } from '../../lib/club-client.js';
import {
  type ConsentSelection,
  type ConsentView,
  claimLabel,
  decisionOf,
  initialSelection,
  selectCredential,
  toggleDetail,
  uncheckedRequirements,
} from '../../lib/consent.js';
import { expiryText, formatDate, termsHeadline } from '../../lib/format.js';
import type { UiProblem } from '../../lib/messages.js';
import { emptyState, problemAlert, requiresLine, setBusy, spinner, termsBlock } from '../../ui/components.js';
import { clear, h, ICONS, icon } from '../../ui/dom.js';
import { call } from '../../ui/rpc.js';

const app = document.getElementById('app') as HTMLElement;
const requestId = new URLSearchParams(location.search).get('request') ?? '';
/** Share stays disabled this long after the window appears, so a click meant for the page cannot land on it. */
const ARM_DELAY_MS = 700;

let view: ConsentView | null = null;
let selection: ConsentSelection = { credentialId: null, checked: new Set() };
let decided = false;

function header(): HTMLElement {
  return h(
    'header',
    { class: 'bar' },
    h('div', { class: 'brand' }, h('span', { class: 'mark' }, icon(ICONS.logo)), h('span', { text: 'Clubpass' })),
  );
}

function partnerName(v: ConsentView): string {
  return v.affiliates.map((a) => a.name).join(' / ') || 'A partner';
}

function gone(title: string, body: string): void {
  decided = true;
  clear(app);
  app.append(
    header(),
    h(
      'main',
      { class: 'content' },
      emptyState(
        title,
        body,
        'consent-gone',
        h('button', {
          class: 'button button-secondary',
          type: 'button',
          text: 'Close',
          on: { click: () => window.close() },
        }),
      ),
    ),
  );
}

async function decline(): Promise<void> {
  if (decided) return;
  decided = true;
  await call({ rpc: 'consent:decide', requestId, decision: { share: false } });
  window.close();
}

async function share(button: HTMLButtonElement, errorSlot: HTMLElement): Promise<void> {
  if (!view || decided) return;
  const decision = decisionOf(view, selection);
  if (!decision) return;
  setBusy(button, true, 'Sharing…');
  const result = await call({ rpc: 'consent:decide', requestId, decision });
  if (!result.ok) {
    setBusy(button, false, '');
    errorSlot.replaceChildren(problemAlert(result.problem, 'consent-error'));
    return;
  }
  decided = true;
  window.close();
}

function siteBlock(v: ConsentView): HTMLElement {
  return h(
    'section',
    { class: 'site', attrs: { 'aria-labelledby': 'consent-title' } },
    h('span', { class: 'badge' }, icon(ICONS.shield)),
    h(
      'div',
      {},
      h(
        'h1',
        { id: 'consent-title', attrs: { tabindex: -1 } },
        h('span', { testid: 'consent-affiliate', text: partnerName(v) }),
        ' asks for a Clubpass credential',
      ),
      h('span', { class: 'origin', testid: 'consent-origin', text: v.origin }),
      h('p', { class: 'meta', text: 'Only continue if you are shopping on this exact site.' }),
    ),
  );
}

function credentialChooser(v: ConsentView, rerender: () => void): HTMLElement {
  return h(
    'fieldset',
    { testid: 'consent-credentials' },
    h('legend', { text: v.credentials.length > 1 ? 'Choose a credential' : 'Credential' }),
    v.credentials.map((option) => {
      const headline = termsHeadline(option.benefit.terms);
      return h(
        'label',
        { class: 'choice', testid: 'consent-credential-option', attrs: { 'data-credential-id': option.id } },
        h('input', {
          type: 'radio',
          name: 'credential',
          value: option.id,
          checked: option.id === selection.credentialId,
          on: {
            change: () => {
              selection = selectCredential(v, option.id);
              rerender();
            },
          },
        }),
        h(
          'span',
          { class: 'text' },
          h('span', { class: 'label', testid: 'consent-benefit', text: option.benefit.title }),
          h('span', {
            class: 'value',
            text: [headline, expiryText(option.expiresAt, new Date()), `until ${formatDate(option.expiresAt)}`]
              .filter(Boolean)
              .join(' · '),
          }),
        ),
      );
    }),
  );
}

function detailsChooser(v: ConsentView, rerender: () => void): HTMLElement {
  const option = v.credentials.find((c) => c.id === selection.credentialId);
  if (!option) return h('div');
  if (v.requested.length === 0) {
    return h(
      'fieldset',
      { testid: 'consent-details' },
      h('legend', { text: 'Details' }),
      h('p', {
        class: 'card-text',
        text: 'No personal details are requested. The site only learns that you hold this benefit.',
      }),
    );
  }
  const missing = uncheckedRequirements(v, selection);
  return h(
    'fieldset',
    { testid: 'consent-details' },
    h('legend', { text: 'Details to share' }),
    option.details.map((detail) =>
      h(
        'label',
        { class: 'choice' },
        h('input', {
          type: 'checkbox',
          name: detail.name,
          testid: `consent-detail-${detail.name}`,
          checked: selection.checked.has(detail.name),
          on: {
            change: () => {
              selection = toggleDetail(v, selection, detail.name);
              rerender();
            },
          },
        }),
        h(
          'span',
          { class: 'text' },
          h('span', { class: 'label', text: detail.label }),
          h('span', { class: 'value', text: detail.value }),
        ),
      ),
    ),
    option.missing.map((name) =>
      h(
        'label',
        { class: 'choice' },
        h('input', { type: 'checkbox', disabled: true, testid: `consent-detail-${name}` }),
        h(
          'span',
          { class: 'text' },
          h('span', { class: 'label', text: claimLabel(name) }),
          h('span', { class: 'missing', text: 'Not in your credential, so it cannot be shared.' }),
        ),
      ),
    ),
    missing.length > 0
      ? h(
          'div',
          { class: 'alert alert-warn', testid: 'consent-required-warning', attrs: { role: 'status' } },
          icon(ICONS.alert, 'icon alert-icon'),
          h('p', {
            text: `${partnerName(v)} says this benefit needs your ${missing.map((n) => claimLabel(n).toLowerCase()).join(' and ')}. They may not accept the credential without it.`,
          }),
        )
      : null,
    h('p', { class: 'fine', text: 'Unticked details stay hidden. You can share less than asked, never more.' }),
  );
}

async function offersFor(v: ConsentView, slot: HTMLElement): Promise<void> {
  slot.replaceChildren(spinner('Looking for benefits from this partner…'));
  const state = await call<{ signedIn: boolean }>({ rpc: 'state' });
  if (!state.ok || !state.value.signedIn) {
    slot.replaceChildren(
      h('p', {
        class: 'card-text',
        text: 'Sign in with the Clubpass button in your browser toolbar, get a benefit for this partner, then try again on the site.',
      }),
    );
    return;
  }
  const catalog = await call<(CatalogEntry & { held: boolean })[]>({ rpc: 'catalog' });
  const ids = new Set(v.affiliates.map((a) => a.id));
  const offers = catalog.ok ? catalog.value.filter((e) => ids.has(e.affiliate.id)) : [];
  if (!catalog.ok) {
    slot.replaceChildren(problemAlert(catalog.problem, 'consent-catalog-error'));
    return;
  }
  if (offers.length === 0) {
    slot.replaceChildren(
      h('p', { class: 'card-text', text: 'Your club has no benefit on offer for this partner right now.' }),
    );
    return;
  }
  slot.replaceChildren(
    h('p', { class: 'card-text', text: 'Get one of these now and share it right away:' }),
    h(
      'ul',
      {},
      offers.map((entry) => {
        const get = h('button', {
          class: 'button button-primary button-small',
          type: 'button',
          testid: 'consent-get',
          text: 'Get',
          attrs: { 'data-benefit-id': entry.id, 'aria-label': `Get ${entry.title}` },
        });
        const card = h(
          'li',
          { class: 'card' },
          h('h3', { class: 'card-title', text: entry.title }),
          termsBlock(entry.kind, entry.terms),
          requiresLine(entry.requires, 'consent-offer-requires'),
          h('div', { class: 'card-foot' }, h('span'), get),
        );
        get.addEventListener('click', async () => {
          setBusy(get, true, 'Getting…');
          const result = await call({ rpc: 'getCredential', benefitId: entry.id });
          if (!result.ok) {
            setBusy(get, false, '');
            card.append(problemAlert(result.problem, 'consent-get-error'));
            return;
          }
          await load();
        });
        return card;
      }),
    ),
  );
}

function render(v: ConsentView): void {
  clear(app);
  const errorSlot = h('div');
  const content = h('main', { class: 'content' }, siteBlock(v), errorSlot);
  const declineButton = h('button', {
    class: 'button button-secondary',
    type: 'button',
    testid: 'consent-decline',
    text: 'Decline',
    on: { click: () => void decline() },
  });
  if (v.credentials.length === 0) {
    const offers = h('div', { class: 'offers' });
    content.append(
      emptyState(
        `No credential for ${partnerName(v)} yet`,
        'Nothing will be shared. Close this window to tell the site no.',
        'consent-empty',
      ),
      offers,
    );
    declineButton.textContent = 'Close';
    app.append(header(), content, h('footer', { class: 'actions single' }, declineButton));
    void offersFor(v, offers);
    return;
  }
  const shareButton = h('button', {
    class: 'button button-primary',
    type: 'button',
    testid: 'consent-share',
    text: 'Share',
    disabled: true,
  });
  shareButton.addEventListener('click', () => void share(shareButton, errorSlot));
  const rerender = () => {
    const focused = document.activeElement as HTMLInputElement | null;
    const key = focused?.name ? `${focused.name}:${focused.value}` : null;
    render(v);
    if (key) {
      for (const input of app.querySelectorAll<HTMLInputElement>('input')) {
        if (`${input.name}:${input.value}` === key) input.focus();
      }
    }
  };
  content.append(credentialChooser(v, rerender), detailsChooser(v, rerender));
  app.append(header(), content, h('footer', { class: 'actions' }, declineButton, shareButton));
  const armAt = Number(app.dataset.armAt ?? '0');
  const wait = Math.max(0, armAt - Date.now());
  window.setTimeout(() => {
    shareButton.disabled = false;
  }, wait);
}

async function load(): Promise<void> {
  const result = await call<ConsentView>({ rpc: 'consent:get', requestId });
  if (!result.ok) {
    const p: UiProblem = result.problem;
    gone('This request has ended', p.detail || 'The site stopped waiting for an answer. You can close this window.');
    return;
  }
  view = result.value;
  selection = initialSelection(view);
  render(view);
  (document.getElementById('consent-title') as HTMLElement | null)?.focus();
}

app.dataset.armAt = String(Date.now() + ARM_DELAY_MS);
app.replaceChildren(header(), h('main', { class: 'content' }, spinner('Loading the request…', 'consent-loading')));
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && view && !decided) void decline();
});
// Keeps the background awake while the member reads, and notices when the page stopped waiting.
window.setInterval(async () => {
  if (decided) return;
  const ping = await call<{ pending: boolean }>({ rpc: 'consent:ping', requestId });
  if (ping.ok && !ping.value.pending) gone('This request has ended', 'The site stopped waiting for an answer.');
}, 15_000);
void load();
