/** Building blocks shared by the popup, the options page and the consent window. */
import { claimLabel } from '../lib/consent.js';
import { kindLabel, termsDescription, termsHeadline } from '../lib/format.js';
import type { UiProblem } from '../lib/messages.js';
import { fieldErrorMap, retryText } from '../lib/problem.js';
import { h, ICONS, icon } from './dom.js';

/** A problem as an alert box: the title, the club's detail, and what to do about a rate limit. */
export function problemAlert(problem: UiProblem, testid = 'form-error'): HTMLElement {
  const unmatched = problem.fieldErrors.filter((e) => !document.querySelector(`[name="${CSS.escape(e.path)}"]`));
  // "the body is not valid" says nothing more than the highlighted fields do.
  const detail = problem.fieldErrors.length > 0 && unmatched.length === 0 ? '' : problem.detail;
  const lines = [detail, retryText(problem.retryAfterSeconds)]
    .filter((l) => l !== '')
    .map((l) => l.charAt(0).toUpperCase() + l.slice(1));
  return h(
    'div',
    { class: 'alert alert-error', testid, attrs: { role: 'alert', 'data-code': problem.code } },
    icon(ICONS.alert, 'icon alert-icon'),
    h(
      'div',
      {},
      h('p', { class: 'alert-title', text: problem.title }),
      lines.map((line) => h('p', { class: 'alert-detail', text: line })),
      unmatched.length > 0
        ? h(
            'ul',
            { class: 'alert-list' },
            unmatched.map((e) => h('li', { text: `${e.path}: ${e.message}` })),
          )
        : null,
    ),
  );
}

export function spinner(label: string, testid?: string): HTMLElement {
  return h(
    'div',
    { class: 'loading', ...(testid ? { testid } : {}), attrs: { role: 'status', 'aria-live': 'polite' } },
    h('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }),
    h('span', { text: label }),
  );
}

export function emptyState(title: string, body: string, testid: string, action?: HTMLElement): HTMLElement {
  return h(
    'div',
    { class: 'empty', testid },
    h('p', { class: 'empty-title', text: title }),
    h('p', { class: 'empty-body', text: body }),
    action ?? null,
  );
}

let fieldCounter = 0;

/** A labelled input with a slot for its error message (`aria-describedby`, `aria-invalid`). */
export function field(options: {
  label: string;
  name: string;
  testid: string;
  type?: string;
  autocomplete?: string;
  required?: boolean;
  /** Mark an optional field as such (off inside a section that is optional as a whole). */
  markOptional?: boolean;
  hint?: string;
  value?: string;
}): HTMLElement {
  const id = `f${++fieldCounter}-${options.name.replaceAll('.', '-')}`;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const input = h('input', {
    id,
    name: options.name,
    type: options.type ?? 'text',
    testid: options.testid,
    ...(options.autocomplete ? { autocomplete: options.autocomplete } : {}),
    ...(options.value !== undefined ? { value: options.value } : {}),
    required: options.required ?? false,
    attrs: { 'aria-describedby': options.hint ? `${hintId} ${errorId}` : errorId },
  });
  return h(
    'div',
    { class: 'field' },
    h(
      'label',
      { htmlFor: id },
      options.label,
      options.required || options.markOptional === false ? null : h('span', { class: 'optional', text: ' (optional)' }),
    ),
    input,
    options.hint ? h('p', { class: 'hint', id: hintId, text: options.hint }) : null,
    h('p', {
      class: 'field-error',
      id: errorId,
      testid: `field-error-${options.name}`,
      attrs: { 'aria-live': 'polite' },
    }),
  );
}

/** Shows the club's per-field errors beside the form's inputs; returns true if any matched. */
export function showFieldErrors(form: HTMLFormElement, problem: UiProblem | null): boolean {
  const errors = problem ? fieldErrorMap(problem) : new Map<string, string>();
  let matched = false;
  let first: HTMLInputElement | null = null;
  for (const input of form.querySelectorAll<HTMLInputElement>('input[name]')) {
    const raw = errors.get(input.name) ?? '';
    const message = raw.charAt(0).toUpperCase() + raw.slice(1);
    const slot = form.querySelector<HTMLElement>(`[data-testid="field-error-${CSS.escape(input.name)}"]`);
    if (slot) slot.textContent = message;
    if (message) {
      input.setAttribute('aria-invalid', 'true');
      matched = true;
      first ??= input;
    } else input.removeAttribute('aria-invalid');
  }
  if (first) {
    const details = first.closest('details');
    if (details) details.open = true;
    first.focus();
  }
  return matched;
}

/** The button state while a request runs: disabled, with a spinner and a busy label. */
export function setBusy(button: HTMLButtonElement, busy: boolean, busyLabel: string): void {
  if (busy) {
    button.dataset.label = button.textContent ?? '';
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    button.replaceChildren(h('span', { class: 'spinner small', attrs: { 'aria-hidden': 'true' } }), busyLabel);
  } else {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = button.dataset.label ?? button.textContent;
  }
}

/** The terms of a benefit as badges and a sentence. */
export function termsBlock(kind: string, terms: Record<string, unknown>): HTMLElement {
  const headline = termsHeadline(terms);
  const description = termsDescription(terms);
  return h(
    'div',
    { class: 'terms', testid: 'terms' },
    h(
      'div',
      { class: 'chips' },
      headline ? h('span', { class: 'chip chip-strong', text: headline }) : null,
      kind ? h('span', { class: 'chip', text: kindLabel(kind) }) : null,
    ),
    description ? h('p', { class: 'terms-text', text: description }) : null,
  );
}

/** "Shares: E-mail address, Postal address" (or that nothing personal is needed). */
export function requiresLine(requires: readonly string[], testid: string): HTMLElement {
  const text =
    requires.length === 0
      ? 'No personal details needed.'
      : `Asks for: ${requires.map((name) => claimLabel(name)).join(', ')}`;
  return h('p', { class: 'requires', testid, text });
}
