/**
 * The toolbar popup: sign up and sign in, the club's catalog with "Get", and "My credentials".
 * Every club call goes through the background, which alone holds the session token.
 */
import { browser } from 'wxt/browser';
import type { CatalogEntry, Member } from '../../lib/club-client.js';
import type { CredentialView } from '../../lib/credentials.js';
import { expiryText, formatDate, formatDateTime, originHost, receiptSummary } from '../../lib/format.js';
import type { SignUpInput, UiProblem } from '../../lib/messages.js';
import {
  emptyState,
  field,
  problemAlert,
  requiresLine,
  setBusy,
  showFieldErrors,
  spinner,
  termsBlock,
} from '../../ui/components.js';
import { clear, h, ICONS, icon, toast } from '../../ui/dom.js';
import { call } from '../../ui/rpc.js';

interface State {
  clubUrl: string;
  signedIn: boolean;
  member: Member | null;
}

type CatalogItem = CatalogEntry & { held: boolean };

const app = document.getElementById('app') as HTMLElement;
let state: State | null = null;
let authTab: 'signin' | 'signup' = 'signin';
let homeTab: 'catalog' | 'credentials' = 'catalog';
let notice: UiProblem | null = null;

function openSettings(): void {
  browser.runtime.openOptionsPage().catch(() => undefined);
}

function header(): HTMLElement {
  return h(
    'header',
    { class: 'bar' },
    h('div', { class: 'brand' }, h('span', { class: 'mark' }, icon(ICONS.logo)), h('span', { text: 'Clubpass' })),
    h('span', { class: 'spacer' }),
    state?.signedIn
      ? h('button', {
          class: 'button button-ghost',
          type: 'button',
          testid: 'signout-button',
          text: 'Sign out',
          on: { click: signOut },
        })
      : null,
    h(
      'button',
      {
        class: 'icon-button',
        type: 'button',
        testid: 'settings-link',
        attrs: { 'aria-label': 'Settings', title: 'Settings' },
        on: { click: openSettings },
      },
      icon(ICONS.gear),
    ),
  );
}

/** A tab list with arrow-key navigation (WAI-ARIA tabs pattern). */
function tabList<T extends string>(
  label: string,
  tabs: { id: T; label: string; testid: string; count?: number | null }[],
  selected: T,
  onSelect: (id: T) => void,
): HTMLElement {
  const buttons = tabs.map((tab) =>
    h(
      'button',
      {
        class: 'tab',
        type: 'button',
        testid: tab.testid,
        id: `tab-${tab.id}`,
        attrs: {
          role: 'tab',
          'aria-selected': String(tab.id === selected),
          'aria-controls': `panel-${tab.id}`,
          tabindex: tab.id === selected ? 0 : -1,
        },
        on: { click: () => onSelect(tab.id) },
      },
      tab.label,
      typeof tab.count === 'number' && tab.count > 0 ? h('span', { class: 'count', text: String(tab.count) }) : null,
    ),
  );
  const list = h('div', { class: 'tabs', attrs: { role: 'tablist', 'aria-label': label } }, buttons);
  list.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const index = tabs.findIndex((t) => t.id === selected);
    const next = tabs[(index + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
    if (next) {
      onSelect(next.id);
      document.getElementById(`tab-${next.id}`)?.focus();
    }
  });
  return list;
}

async function load(): Promise<void> {
  clear(app);
  app.append(header(), h('div', { class: 'view' }, spinner('Loading…', 'popup-loading')));
  const result = await call<State>({ rpc: 'state' });
  if (!result.ok) {
    clear(app);
    app.append(header(), h('div', { class: 'auth' }, problemAlert(result.problem, 'popup-error')));
    return;
  }
  state = result.value;
  render();
}

function render(): void {
  clear(app);
  app.append(header(), state?.signedIn ? home() : auth());
}

/* ------------------------------------------------------------------------------------------ */
/* Signed out                                                                                   */

function auth(): HTMLElement {
  const body = h('div', { attrs: { role: 'tabpanel', id: `panel-${authTab}`, 'aria-labelledby': `tab-${authTab}` } });
  body.append(authTab === 'signin' ? signInForm() : signUpForm());
  return h(
    'main',
    { class: 'view auth' },
    h(
      'div',
      { class: 'auth-intro' },
      h('h1', { text: authTab === 'signin' ? 'Welcome back' : 'Join your club' }),
      h('p', {
        text:
          authTab === 'signin'
            ? 'Sign in to see your benefits and use them on partner sites.'
            : 'Create your member account to collect benefits from partner shops.',
      }),
    ),
    tabList(
      'Account',
      [
        { id: 'signin', label: 'Sign in', testid: 'auth-tab-signin' },
        { id: 'signup', label: 'Create account', testid: 'auth-tab-signup' },
      ],
      authTab,
      (id) => {
        authTab = id;
        notice = null;
        render();
      },
    ),
    notice ? problemAlert(notice, 'form-error') : null,
    body,
    h(
      'p',
      { class: 'club-line', testid: 'club-url' },
      `Club: ${state ? originHost(state.clubUrl) : ''} · `,
      h('button', { type: 'button', text: 'Change', on: { click: openSettings } }),
    ),
  );
}

function value(form: HTMLFormElement, name: string): string {
  return (form.elements.namedItem(name) as HTMLInputElement | null)?.value.trim() ?? '';
}

function showProblem(form: HTMLFormElement, problem: UiProblem): void {
  const slot = form.querySelector<HTMLElement>('.form-problem');
  if (!slot) return;
  showFieldErrors(form, problem);
  slot.replaceChildren(problemAlert(problem));
}

function signInForm(): HTMLFormElement {
  const submit = h('button', {
    class: 'button button-primary button-block',
    type: 'submit',
    testid: 'signin-submit',
    text: 'Sign in',
  });
  const form = h(
    'form',
    { testid: 'signin-form', attrs: { novalidate: true, 'aria-label': 'Sign in' } },
    h('div', { class: 'form-problem' }),
    field({
      label: 'E-mail',
      name: 'email',
      type: 'email',
      testid: 'signin-email',
      autocomplete: 'email',
      required: true,
    }),
    field({
      label: 'Password',
      name: 'password',
      type: 'password',
      testid: 'signin-password',
      autocomplete: 'current-password',
      required: true,
    }),
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const email = value(form, 'email');
    const password = (form.elements.namedItem('password') as HTMLInputElement).value;
    const missing = [
      ...(email === '' ? [{ path: 'email', message: 'Enter your e-mail address.' }] : []),
      ...(password === '' ? [{ path: 'password', message: 'Enter your password.' }] : []),
    ];
    if (missing.length > 0) {
      showFieldErrors(form, { ...blankProblem(), fieldErrors: missing });
      return;
    }
    setBusy(submit, true, 'Signing in…');
    const result = await call<State>({ rpc: 'signIn', email, password });
    setBusy(submit, false, '');
    if (!result.ok) return showProblem(form, result.problem);
    state = result.value;
    notice = null;
    homeTab = 'catalog';
    render();
  });
  queueMicrotask(() => form.querySelector<HTMLInputElement>('input')?.focus());
  return form;
}

function blankProblem(): UiProblem {
  return {
    code: 'invalid_request',
    title: 'Please check the highlighted fields.',
    detail: '',
    status: null,
    fieldErrors: [],
    retryAfterSeconds: null,
  };
}

function signUpForm(): HTMLFormElement {
  const submit = h('button', {
    class: 'button button-primary button-block',
    type: 'submit',
    testid: 'signup-submit',
    text: 'Create account',
  });
  const form = h(
    'form',
    { testid: 'signup-form', attrs: { novalidate: true, 'aria-label': 'Create account' } },
    h('div', { class: 'form-problem' }),
    h(
      'div',
      { class: 'row' },
      field({
        label: 'First name',
        name: 'given_name',
        testid: 'signup-given-name',
        autocomplete: 'given-name',
        required: true,
      }),
      field({
        label: 'Last name',
        name: 'family_name',
        testid: 'signup-family-name',
        autocomplete: 'family-name',
        required: true,
      }),
    ),
    field({
      label: 'E-mail',
      name: 'email',
      type: 'email',
      testid: 'signup-email',
      autocomplete: 'email',
      required: true,
    }),
    field({
      label: 'Password',
      name: 'password',
      type: 'password',
      testid: 'signup-password',
      autocomplete: 'new-password',
      required: true,
      hint: 'At least 8 characters.',
    }),
    field({ label: 'Phone', name: 'phone_number', type: 'tel', testid: 'signup-phone', autocomplete: 'tel' }),
    h(
      'details',
      { class: 'more', testid: 'signup-address' },
      h('summary', { testid: 'signup-address-toggle', text: 'Postal address (optional)' }),
      h(
        'div',
        { class: 'more-body' },
        h('p', { class: 'hint', text: 'Only needed for benefits that are shipped to you.' }),
        field({
          label: 'Street and number',
          markOptional: false,
          name: 'address.street_address',
          testid: 'signup-street',
          autocomplete: 'street-address',
        }),
        h(
          'div',
          { class: 'row' },
          field({
            label: 'Postal code',
            markOptional: false,
            name: 'address.postal_code',
            testid: 'signup-postal-code',
            autocomplete: 'postal-code',
          }),
          field({
            label: 'City',
            markOptional: false,
            name: 'address.locality',
            testid: 'signup-locality',
            autocomplete: 'address-level2',
          }),
        ),
        h(
          'div',
          { class: 'row' },
          field({
            label: 'Region',
            markOptional: false,
            name: 'address.region',
            testid: 'signup-region',
            autocomplete: 'address-level1',
          }),
          field({
            label: 'Country',
            markOptional: false,
            name: 'address.country',
            testid: 'signup-country',
            autocomplete: 'country',
            hint: 'Two-letter code, e.g. DE',
          }),
        ),
      ),
    ),
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const input: SignUpInput = {
      email: value(form, 'email'),
      password: (form.elements.namedItem('password') as HTMLInputElement).value,
      given_name: value(form, 'given_name'),
      family_name: value(form, 'family_name'),
    };
    const missing = (
      [
        ['given_name', 'Enter your first name.'],
        ['family_name', 'Enter your last name.'],
        ['email', 'Enter your e-mail address.'],
        ['password', 'Choose a password.'],
      ] as const
    )
      .filter(([name]) => (name === 'password' ? input.password === '' : value(form, name) === ''))
      .map(([path, message]) => ({ path, message }));
    if (missing.length > 0) {
      showFieldErrors(form, { ...blankProblem(), fieldErrors: missing });
      return;
    }
    const phone = value(form, 'phone_number');
    if (phone) input.phone_number = phone;
    const address: Record<string, string> = {};
    for (const part of ['street_address', 'postal_code', 'locality', 'region', 'country']) {
      const v = value(form, `address.${part}`);
      if (v) address[part] = v;
    }
    if (Object.keys(address).length > 0) input.address = address;
    setBusy(submit, true, 'Creating account…');
    const result = await call<State>({ rpc: 'signUp', input });
    setBusy(submit, false, '');
    if (!result.ok) return showProblem(form, result.problem);
    state = result.value;
    homeTab = 'catalog';
    render();
    toast('Welcome to the club! Your account is ready.');
  });
  queueMicrotask(() => form.querySelector<HTMLInputElement>('input')?.focus());
  return form;
}

async function signOut(event: Event): Promise<void> {
  const button = event.currentTarget as HTMLButtonElement;
  setBusy(button, true, 'Signing out…');
  const result = await call<State>({ rpc: 'signOut' });
  if (!result.ok) {
    setBusy(button, false, '');
    toast(result.problem.title, 'error');
    return;
  }
  state = result.value;
  authTab = 'signin';
  notice = null;
  render();
  toast('You are signed out.');
}

/* ------------------------------------------------------------------------------------------ */
/* Signed in                                                                                    */

/** The session ended at the club: back to sign-in with a note saying so. */
function sessionEnded(problem: UiProblem): void {
  if (state) state.signedIn = false;
  notice = problem;
  authTab = 'signin';
  render();
}

function home(): HTMLElement {
  const member = state?.member;
  const initials = member ? `${member.given_name[0] ?? ''}${member.family_name[0] ?? ''}`.toUpperCase() : '';
  const panel = h('section', {
    class: 'panel',
    id: `panel-${homeTab}`,
    attrs: { role: 'tabpanel', 'aria-labelledby': `tab-${homeTab}` },
  });
  const view = h(
    'main',
    { class: 'view' },
    h(
      'div',
      { class: 'member' },
      h('div', { class: 'avatar', attrs: { 'aria-hidden': 'true' }, text: initials }),
      h(
        'div',
        { class: 'who' },
        h('p', {
          class: 'name',
          testid: 'member-name',
          text: member ? `${member.given_name} ${member.family_name}` : '',
        }),
        h('p', {
          class: 'number',
          testid: 'member-number',
          text: member ? `Member ${member.membership_number}` : '',
        }),
      ),
    ),
    tabList(
      'Sections',
      [
        { id: 'catalog', label: 'Benefits', testid: 'tab-catalog' },
        { id: 'credentials', label: 'My credentials', testid: 'tab-credentials' },
      ],
      homeTab,
      (id) => {
        homeTab = id;
        render();
      },
    ),
    panel,
  );
  if (homeTab === 'catalog') void renderCatalog(panel);
  else void renderCredentials(panel);
  return view;
}

async function renderCatalog(panel: HTMLElement): Promise<void> {
  panel.replaceChildren(spinner('Loading benefits…', 'catalog-loading'));
  const result = await call<CatalogItem[]>({ rpc: 'catalog' });
  if (!panel.isConnected) return;
  if (!result.ok) {
    panel.replaceChildren(
      h(
        'div',
        { class: 'panel-note', testid: 'catalog-error' },
        problemAlert(result.problem, 'catalog-error-alert'),
        h('button', {
          class: 'button button-secondary button-small',
          type: 'button',
          text: 'Try again',
          on: { click: () => renderCatalog(panel) },
        }),
      ),
    );
    return;
  }
  if (result.value.length === 0) {
    panel.replaceChildren(
      emptyState(
        'No benefits on offer yet',
        'Your club has not published any partner benefits. Check back soon — new partners join regularly.',
        'catalog-empty',
        h('button', {
          class: 'button button-secondary button-small',
          type: 'button',
          text: 'Refresh',
          on: { click: () => renderCatalog(panel) },
        }),
      ),
    );
    return;
  }
  panel.replaceChildren(
    h(
      'ul',
      { class: 'list', testid: 'catalog-list', attrs: { 'aria-label': 'Benefits' } },
      result.value.map((entry) => catalogCard(entry)),
    ),
  );
}

function catalogCard(entry: CatalogItem): HTMLElement {
  const action = entry.held
    ? h('span', { class: 'held', testid: 'catalog-item-held' }, icon(ICONS.check), 'In your credentials')
    : h('button', {
        class: 'button button-primary button-small',
        type: 'button',
        testid: 'get-button',
        text: 'Get',
        attrs: { 'data-benefit-id': entry.id, 'aria-label': `Get ${entry.title}` },
        on: { click: (event) => getBenefit(event, entry) },
      });
  return h(
    'li',
    { class: 'card', testid: 'catalog-item', attrs: { 'data-benefit-id': entry.id } },
    h(
      'div',
      { class: 'card-head' },
      h(
        'div',
        { class: 'titles' },
        h('h3', { class: 'card-title', testid: 'catalog-item-title', text: entry.title }),
        h(
          'p',
          { class: 'card-sub', testid: 'catalog-item-affiliate' },
          icon(ICONS.store),
          entry.affiliate.name,
          entry.affiliate.origins[0]
            ? h('span', { class: 'meta', text: `· ${originHost(entry.affiliate.origins[0])}` })
            : null,
        ),
      ),
    ),
    entry.description ? h('p', { class: 'card-text', text: entry.description }) : null,
    termsBlock(entry.kind, entry.terms),
    requiresLine(entry.requires, 'catalog-item-requires'),
    h(
      'div',
      { class: 'card-foot' },
      h('span', {
        class: 'meta',
        text: entry.valid_until ? `Offer ends ${formatDate(entry.valid_until)}` : 'No end date',
      }),
      action,
    ),
  );
}

async function getBenefit(event: Event, entry: CatalogItem): Promise<void> {
  const button = event.currentTarget as HTMLButtonElement;
  setBusy(button, true, 'Getting…');
  const result = await call<unknown>({ rpc: 'getCredential', benefitId: entry.id });
  if (!result.ok) {
    setBusy(button, false, '');
    if (result.problem.code === 'unauthorized') return sessionEnded(result.problem);
    const card = button.closest('li');
    card?.querySelector('[data-testid="get-error"]')?.remove();
    card?.append(problemAlert(result.problem, 'get-error'));
    return;
  }
  entry.held = true;
  button.replaceWith(
    h('span', { class: 'held', testid: 'catalog-item-held' }, icon(ICONS.check), 'In your credentials'),
  );
  toast(`${entry.title} is ready to use at ${entry.affiliate.name}.`);
}

async function renderCredentials(panel: HTMLElement): Promise<void> {
  panel.replaceChildren(spinner('Loading your credentials…', 'credentials-loading'));
  const result = await call<{ items: CredentialView[]; warning: UiProblem | null }>({ rpc: 'credentials' });
  if (!panel.isConnected) return;
  if (!result.ok) {
    if (result.problem.code === 'unauthorized') return sessionEnded(result.problem);
    panel.replaceChildren(h('div', { class: 'panel-note' }, problemAlert(result.problem, 'credentials-error')));
    return;
  }
  const { items, warning } = result.value;
  const note = warning
    ? h(
        'div',
        { class: 'panel-note' },
        h(
          'div',
          { class: 'alert alert-warn', testid: 'credentials-warning', attrs: { role: 'status' } },
          icon(ICONS.alert, 'icon alert-icon'),
          h('p', { text: `Showing what this browser holds. ${warning.title}` }),
        ),
      )
    : null;
  if (items.length === 0) {
    panel.replaceChildren(
      ...(note ? [note] : []),
      emptyState(
        'No credentials yet',
        'Open Benefits and press “Get” on an offer. It will appear here, ready to use at the partner’s site.',
        'credentials-empty',
        h('button', {
          class: 'button button-primary button-small',
          type: 'button',
          text: 'Browse benefits',
          on: {
            click: () => {
              homeTab = 'catalog';
              render();
            },
          },
        }),
      ),
    );
    return;
  }
  panel.replaceChildren(
    ...(note ? [note] : []),
    h(
      'ul',
      { class: 'list', testid: 'credentials-list', attrs: { 'aria-label': 'My credentials' } },
      items.map(credentialCard),
    ),
  );
}

function statusPill(item: CredentialView): HTMLElement {
  const [label, cls] =
    item.status === 'issued'
      ? item.stored
        ? ['Ready', 'status-ready']
        : ['In another browser', 'status-elsewhere']
      : item.status === 'redeemed'
        ? ['Used', 'status-redeemed']
        : item.status === 'expired'
          ? ['Expired', 'status-expired']
          : ['Revoked', 'status-revoked'];
  return h('span', {
    class: `status ${cls}`,
    testid: 'credential-status',
    text: label,
    attrs: { 'data-status': item.status },
  });
}

function credentialCard(item: CredentialView): HTMLElement {
  const now = new Date();
  const receipt = item.receipt ? receiptSummary(item.receipt) : null;
  return h(
    'li',
    {
      class: 'card',
      testid: 'credential-item',
      attrs: { 'data-credential-id': item.id, 'data-status': item.status, 'data-usable': String(item.usable) },
    },
    h(
      'div',
      { class: 'card-head' },
      h(
        'div',
        { class: 'titles' },
        h('h3', { class: 'card-title', text: item.benefit.title }),
        h('p', { class: 'card-sub' }, icon(ICONS.store), item.affiliate.name),
      ),
      statusPill(item),
    ),
    termsBlock(item.benefit.kind, item.benefit.terms),
    h('p', {
      class: 'meta',
      testid: 'credential-expiry',
      attrs: { title: formatDateTime(item.expiresAt) },
      text:
        item.status === 'issued'
          ? `${expiryText(item.expiresAt, now)} · ${formatDate(item.expiresAt)}`
          : `Valid until ${formatDate(item.expiresAt)}`,
    }),
    item.redeemedAt || receipt
      ? h(
          'p',
          { class: 'receipt', testid: 'credential-receipt' },
          item.redeemedAt ? `Used on ${formatDateTime(item.redeemedAt)}` : 'Used',
          receipt?.amount ? ` · value ${receipt.amount}` : '',
          receipt?.id ? ` · receipt ${receipt.id}` : '',
        )
      : null,
    item.stored || item.status !== 'issued'
      ? null
      : h('p', {
          class: 'meta',
          text: 'This credential is kept in the browser where you got it.',
        }),
  );
}

void load();
