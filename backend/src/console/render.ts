import { fileURLToPath } from 'node:url';
import type { FieldError } from '@clubpass/shared';
import { Eta } from 'eta';
import type { Request, Response } from 'express';
import type { ConsoleSession } from './console-session.js';
import { helpers } from './format.js';

/** The folder of the console's templates. */
export const VIEWS_DIR = fileURLToPath(new URL('./views', import.meta.url));

// autoEscape: every `<%= %>` is HTML-escaped (& < > " '), in text and in quoted attributes alike.
// Raw output (`<%~ %>`) is used only for a layout's body and for included partials, which escape
// their own values; console-views.test.ts fails on any other use.
const eta = new Eta({ views: VIEWS_DIR, autoEscape: true, cache: true, autoTrim: [false, 'nl'] });

/** The sections of the left navigation. */
export type NavKey =
  | 'dashboard'
  | 'members'
  | 'affiliates'
  | 'benefits'
  | 'credentials'
  | 'redemptions'
  | 'invoices'
  | 'keys'
  | 'audit'
  | null;

/** Confirmations shown after a redirect (`?done=`): fixed texts, so no input is ever reflected. */
const FLASH: Record<string, string> = {
  'affiliate-updated': 'The affiliate was saved.',
  'key-revoked': 'The API key was revoked. Calls made with it are refused from now on.',
  'benefit-created': 'The benefit was created and is on offer.',
  'benefit-updated': 'The benefit was saved.',
  'benefit-withdrawn': 'The benefit was withdrawn: members can no longer get new credentials for it.',
  'benefit-reinstated': 'The benefit is on offer again.',
  'credential-revoked': 'The credential was revoked. Affiliates will refuse it from now on.',
  'key-rotated': 'A new signing key is in use. The previous key stays published until its credentials expire.',
  'invoice-approved': 'The invoice was approved.',
  'invoice-paid': 'The invoice was marked paid.',
  'signed-out': 'You are signed out.',
};

/** Per-field error messages of a form, by field name; `_form` holds the ones without a field. */
export type FieldErrors = Record<string, string[]>;

/** Groups field errors by field, mapping each error path to a form field with `fieldFor`. */
export function groupErrors(errors: readonly FieldError[], fieldFor: (path: string) => string | null): FieldErrors {
  const out: FieldErrors = {};
  for (const error of errors) {
    const field = fieldFor(error.path) ?? '_form';
    out[field] = [...(out[field] ?? []), error.message];
  }
  return out;
}

export interface RenderOptions {
  status?: number;
  /** Scripts of this page, besides the console's own (static files only: CSP `script-src 'self'`). */
  scripts?: string[];
}

/**
 * Renders a console page into its layout. Every page gets the signed-in admin, the session's
 * CSRF token (for the forms) and the helpers; pages are never cached (`no-store`).
 */
export function renderPage(
  req: Request,
  res: Response,
  view: string,
  data: Record<string, unknown> & { title: string; nav: NavKey },
  options: RenderOptions = {},
): void {
  const session = res.locals.session as ConsoleSession | undefined;
  const done = typeof req.query.done === 'string' ? FLASH[req.query.done] : undefined;
  const html = eta.render(view, {
    ...data,
    h: helpers,
    admin: session ? { email: session.account.email } : null,
    csrf: session?.csrfToken ?? '',
    flash: data.flash ?? done ?? null,
    scripts: options.scripts ?? [],
    path: req.originalUrl.split('?')[0],
  });
  res
    .status(options.status ?? 200)
    .set('Cache-Control', 'no-store')
    .type('html')
    .send(html);
}
