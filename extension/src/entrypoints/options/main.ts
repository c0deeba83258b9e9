/** Settings: the club address (with its host permission), the partner directory, the holder key. */
import { browser } from 'wxt/browser';
import { formatDateTime } from '../../lib/format.js';
import { originPattern, parseClubUrl } from '../../lib/origins.js';
import { field, problemAlert, setBusy, showFieldErrors, spinner } from '../../ui/components.js';
import { clear, h, ICONS, icon, toast } from '../../ui/dom.js';
import { call } from '../../ui/rpc.js';

interface State {
  clubUrl: string;
  signedIn: boolean;
  holder: { alg: string; kid: string };
  directory: { partners: number; expiresAt: string } | null;
  directoryError: string | null;
}

const app = document.getElementById('app') as HTMLElement;

function directoryFacts(state: State): HTMLElement {
  return h(
    'div',
    { testid: 'options-directory-status', attrs: { 'aria-live': 'polite' } },
    state.directory
      ? h(
          'dl',
          { class: 'facts' },
          h('dt', { text: 'Partners' }),
          h('dd', { testid: 'options-partner-count', text: String(state.directory.partners) }),
          h('dt', { text: 'Valid until' }),
          h('dd', { text: formatDateTime(state.directory.expiresAt) }),
        )
      : h(
          'div',
          { class: 'alert alert-warn', attrs: { role: 'status' } },
          icon(ICONS.alert, 'icon alert-icon'),
          h(
            'div',
            {},
            h('p', { class: 'alert-title', text: 'No verified partner list.' }),
            h('p', {
              class: 'alert-detail',
              text: state.directoryError
                ? `Clubpass stays silent on every site until it can load one. ${state.directoryError}`
                : 'Clubpass stays silent on every site until it can load one from your club.',
            }),
          ),
        ),
  );
}

function render(state: State): void {
  clear(app);
  const save = h('button', { class: 'button button-primary', type: 'submit', testid: 'options-save', text: 'Save' });
  const form = h(
    'form',
    { testid: 'options-form', attrs: { novalidate: true, 'aria-label': 'Club address' } },
    h('div', { class: 'form-problem' }),
    field({
      label: 'Club address',
      name: 'clubUrl',
      type: 'url',
      testid: 'options-club-url',
      required: true,
      value: state.clubUrl,
      hint: 'Where your club runs, e.g. https://club.example. Changing it signs you out.',
    }),
    h('div', { class: 'actions' }, save),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = (form.elements.namedItem('clubUrl') as HTMLInputElement).value;
    const parsed = parseClubUrl(input);
    const slot = form.querySelector('.form-problem') as HTMLElement;
    if (!parsed.ok) {
      const problem = {
        code: 'invalid_request',
        title: parsed.message,
        detail: '',
        status: null,
        fieldErrors: [{ path: 'clubUrl', message: parsed.message }],
        retryAfterSeconds: null,
      };
      showFieldErrors(form, problem);
      slot.replaceChildren();
      return;
    }
    showFieldErrors(form, null);
    // The browser asks the member to allow access to a club outside the default (a user gesture is needed).
    const origins = [originPattern(parsed.url)];
    let granted = await browser.permissions.contains({ origins }).catch(() => false);
    if (!granted) granted = await browser.permissions.request({ origins }).catch(() => false);
    if (!granted) {
      slot.replaceChildren(
        problemAlert({
          code: 'permission_denied',
          title: 'Clubpass needs permission to reach this club.',
          detail: 'Allow access when the browser asks, or keep the current club.',
          status: null,
          fieldErrors: [],
          retryAfterSeconds: null,
        }),
      );
      return;
    }
    setBusy(save, true, 'Saving…');
    const result = await call<State>({ rpc: 'setClubUrl', clubUrl: parsed.url });
    setBusy(save, false, '');
    if (!result.ok) {
      showFieldErrors(form, result.problem);
      slot.replaceChildren(problemAlert(result.problem));
      return;
    }
    render(result.value);
    toast('Saved. Sign in to this club from the toolbar button.');
  });

  const refresh = h('button', {
    class: 'button button-secondary',
    type: 'button',
    testid: 'options-refresh-directory',
    text: 'Refresh partner list',
  });
  refresh.addEventListener('click', async () => {
    setBusy(refresh, true, 'Refreshing…');
    const result = await call<State>({ rpc: 'refreshDirectory' });
    setBusy(refresh, false, '');
    if (result.ok) {
      render(result.value);
      toast(
        result.value.directory ? 'Partner list updated.' : 'Could not load the partner list.',
        result.value.directory ? 'info' : 'error',
      );
    } else toast(result.problem.title, 'error');
  });

  app.append(
    h(
      'main',
      { class: 'page' },
      h(
        'header',
        {},
        h(
          'div',
          { class: 'brand' },
          h('span', { class: 'mark' }, icon(ICONS.logo)),
          h('h1', { text: 'Clubpass settings' }),
        ),
        h('p', { class: 'lead', text: 'Your club, the partner sites Clubpass works on, and this browser’s key.' }),
      ),
      h(
        'section',
        { class: 'section', attrs: { 'aria-labelledby': 'club-h' } },
        h('h2', { id: 'club-h', text: 'Your club' }),
        form,
      ),
      h(
        'section',
        { class: 'section', attrs: { 'aria-labelledby': 'dir-h' } },
        h('h2', { id: 'dir-h', text: 'Partner sites' }),
        h('p', {
          class: 'card-text',
          text: 'Clubpass only responds on sites your club lists in its signed partner directory, and only when the address matches exactly. Everywhere else it does nothing.',
        }),
        directoryFacts(state),
        h('div', { class: 'actions' }, refresh),
      ),
      h(
        'section',
        { class: 'section', attrs: { 'aria-labelledby': 'key-h' } },
        h('h2', { id: 'key-h', text: 'This browser’s key' }),
        h('p', {
          class: 'card-text',
          text: 'Your credentials are bound to a key that was created in this browser and can never be exported. Partners check it each time you share a credential.',
        }),
        h(
          'dl',
          { class: 'facts', testid: 'options-holder-key' },
          h('dt', { text: 'Algorithm' }),
          h('dd', { text: state.holder.alg === 'EdDSA' ? 'Ed25519' : 'P-256' }),
          h('dt', { text: 'Key ID' }),
          h('dd', {}, h('code', { text: state.holder.kid })),
        ),
      ),
    ),
  );
}

async function load(): Promise<void> {
  app.replaceChildren(spinner('Loading settings…', 'options-loading'));
  const result = await call<State>({ rpc: 'state' });
  if (!result.ok) {
    app.replaceChildren(h('main', { class: 'page' }, problemAlert(result.problem, 'options-error')));
    return;
  }
  render(result.value);
}

void load();
