// Test support for the console suites: a tiny browser stand-in that keeps cookies, reads the
// CSRF token out of pages, and posts forms. Used only by *.test.ts files.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { registerAccount } from '../domain/members/register-member.js';
import {
  createAffiliate,
  type HeldCredential,
  issueHeldCredential,
  type RedemptionBody,
  redeemOnce,
  type TestAffiliate,
} from '../test-support/redemption-fixture.js';
import { signInAdmin } from '../test-support/test-accounts.js';
import type { TestBackend } from '../test-support/test-backend.js';

export const CONSOLE_PASSWORD = 'correct horse battery staple';

export interface ConsoleResponse {
  status: number;
  text: string;
  headers: Headers;
  location: string | null;
}

/** A browser-like client: a cookie jar, and forms posted as application/x-www-form-urlencoded. */
export class ConsoleClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly backend: TestBackend) {}

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(
    method: string,
    path: string,
    options: { form?: Record<string, string | string[]>; headers?: Record<string, string> } = {},
  ): Promise<ConsoleResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader();
    let body: string | undefined;
    if (options.form) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(options.form)) {
        for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
      }
      body = params.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const response = await fetch(`${this.backend.url}${path}`, { method, headers, body, redirect: 'manual' });
    this.remember(response.headers);
    return {
      status: response.status,
      text: await response.text(),
      headers: response.headers,
      location: response.headers.get('location'),
    };
  }

  get(path: string): Promise<ConsoleResponse> {
    return this.request('GET', path);
  }

  /** Posts a form; the CSRF token is added from `csrf` unless the form names its own `_csrf`. */
  post(path: string, form: Record<string, string | string[]>, csrf: string | null): Promise<ConsoleResponse> {
    return this.request('POST', path, { form: csrf === null || '_csrf' in form ? form : { _csrf: csrf, ...form } });
  }

  /** Signs in through the sign-in form; returns the response of the form's POST. */
  async signIn(email: string, password = CONSOLE_PASSWORD, next = '/console'): Promise<ConsoleResponse> {
    // The form is fetched as a signed-out tab would have it; the POST carries every cookie, so a
    // session the browser already holds is sent along (and must be replaced, never reused).
    const sessions = [...this.cookies].filter(([name]) => name.endsWith('clubpass_console'));
    for (const [name] of sessions) this.cookies.delete(name);
    const page = await this.get(`/console/sign-in?next=${encodeURIComponent(next)}`);
    for (const [name, value] of sessions) this.cookies.set(name, value);
    assert.equal(page.status, 200, page.text);
    return this.post('/console/sign-in', { email, password, next, _csrf: csrfOf(page.text) }, null);
  }

  /** The CSRF token of the signed-in session, read from a page's sign-out form. */
  async csrf(): Promise<string> {
    return csrfOf((await this.get('/console')).text);
  }
}

/** The `_csrf` value of the first form on a page. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]*)"/.exec(html);
  assert.ok(match, 'the page has a form with a CSRF token');
  return match[1] as string;
}

/** Creates an admin account as the CLI does; returns its e-mail address. */
export async function createAdmin(backend: TestBackend): Promise<string> {
  const email = `admin-${randomBytes(6).toString('hex')}@example.org`;
  await registerAccount(
    backend.deps,
    { email, password: CONSOLE_PASSWORD, givenName: 'Grace', familyName: 'Hopper', phoneNumber: null, address: null },
    'admin',
  );
  return email;
}

/** A new admin signed in to the console, with the session's CSRF token. */
export async function adminConsole(
  backend: TestBackend,
): Promise<{ client: ConsoleClient; csrf: string; email: string }> {
  const email = await createAdmin(backend);
  const client = new ConsoleClient(backend);
  const signedIn = await client.signIn(email);
  assert.equal(signedIn.status, 303, signedIn.text);
  return { client, csrf: await client.csrf(), email };
}

/** Every GET page of the console that needs no id. */
export const CONSOLE_PAGES = [
  '/console',
  '/console/members',
  '/console/affiliates',
  '/console/affiliates/new',
  '/console/benefits',
  '/console/benefits/new',
  '/console/credentials',
  '/console/redemptions',
  '/console/invoices',
  '/console/keys',
  '/console/keys/rotate',
  '/console/audit',
];

/** A whole little ledger made through the public APIs: what every console page can show. */
export interface SeededLedger {
  affiliate: TestAffiliate;
  benefitId: string;
  /** Redeemed once, and claimed on the invoice. */
  redeemed: HeldCredential;
  redemption: RedemptionBody;
  /** Issued to the same member and not used: one to revoke. */
  spare: HeldCredential;
  invoiceId: string;
}

/**
 * An affiliate named `name` with a benefit, a member with two credentials, one redemption, and a
 * submitted invoice with one accepted and one rejected line (an unknown redemption).
 */
export async function seedLedger(backend: TestBackend, name: string, benefitTitle = '5 % off'): Promise<SeededLedger> {
  const adminToken = await signInAdmin(backend);
  const { affiliate, benefitId } = await createAffiliate(backend, adminToken, {
    name,
    benefit: { title: benefitTitle },
  });
  const redeemed = await issueHeldCredential(backend, benefitId);
  const redemption = await redeemOnce(backend, affiliate, redeemed);
  const spare = await issueHeldCredential(backend, benefitId, { member: redeemed.member });
  const invoice = await backend.request('POST', '/v1/invoices', {
    token: affiliate.apiKey,
    body: {
      period_start: '2026-12-01T00:00:00Z',
      period_end: '2027-01-01T00:00:00Z',
      lines: [
        { redemption_id: redemption.id, amount: { amount: 100, currency: 'EUR' } },
        { redemption_id: 'red_doesnotexist0000000', amount: { amount: 100, currency: 'EUR' } },
      ],
    },
  });
  assert.equal(invoice.status, 201, JSON.stringify(invoice.body));
  return { affiliate, benefitId, redeemed, redemption, spare, invoiceId: invoice.body.id };
}
