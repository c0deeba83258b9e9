// Test helpers: a real club backend in-process (the backend's own test support), the shop app on
// an ephemeral port sharing the club's frozen clock, and a tiny cookie-keeping "browser".
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createAffiliateWithBenefit,
  type TestAffiliate,
} from '../../../backend/src/test-support/redemption-fixture.js';
import type { TestBackend } from '../../../backend/src/test-support/test-backend.js';
import { createShopApp } from './create-shop-app.js';
import { openShopDatabase, type ShopDb } from './database.js';
import { MERCHANTS, type MerchantMode } from './merchants.js';

export const SHOP_ORIGIN = 'https://shop.example';

/** The shop's benefit in the demo: 15 % off, the club pays the shop 3.00 EUR per redemption. */
export const SHOP_BENEFIT = {
  kind: 'product_discount',
  title: '15 % off',
  terms: { percent_off: 15 },
  price: { amount: 300, currency: 'EUR' },
  requires: ['given_name', 'family_name', 'address'],
};

export const CAFE_BENEFIT = {
  kind: 'free_goods',
  title: 'A free coffee',
  terms: { description: 'One coffee of your choice' },
  price: { amount: 250, currency: 'EUR' },
  requires: ['given_name'],
};

export interface TestShop {
  url: string;
  affiliate: TestAffiliate;
  benefitId: string;
  db: ShopDb;
  /** "METHOD /path" of every request the shop made to the club, in order. */
  clubCalls: string[];
  /** Makes the shop lose the club's next answer to this path (the request still reaches the club). */
  loseNextAnswer(path: string): void;
  browser(): TestBrowser;
  close(): Promise<void>;
}

/** Registers an affiliate and its benefit at `backend`, and starts the shop app for it. */
export async function startTestShop(
  backend: TestBackend,
  options: { mode?: MerchantMode; benefit?: Record<string, unknown>; origin?: string } = {},
): Promise<TestShop> {
  const mode = options.mode ?? 'shop';
  const origin = options.origin ?? SHOP_ORIGIN;
  const { affiliate, benefitId } = await createAffiliateWithBenefit(
    backend,
    options.benefit ?? (mode === 'shop' ? SHOP_BENEFIT : CAFE_BENEFIT),
    origin,
  );
  const db = await openShopDatabase(':memory:');
  const clubCalls: string[] = [];
  const lose = new Set<string>();
  const watchedFetch: typeof fetch = async (input, init) => {
    const path = new URL(String(input)).pathname;
    clubCalls.push(`${init?.method ?? 'GET'} ${path}`);
    const response = await fetch(input, init);
    if (lose.delete(path)) throw new TypeError('fetch failed: connection reset (simulated)');
    return response;
  };
  const app = createShopApp({
    settings: {
      merchant: MERCHANTS[mode],
      clubUrl: backend.url,
      affiliateId: affiliate.id,
      apiKey: affiliate.apiKey,
      publicOrigin: origin,
    },
    db,
    clock: backend.clock,
    fetch: watchedFetch,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    affiliate,
    benefitId,
    db,
    clubCalls,
    loseNextAnswer: (path) => lose.add(path),
    browser: () => new TestBrowser(url, origin),
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await db.destroy();
    },
  };
}

export interface PageResponse {
  status: number;
  text: string;
  location: string | null;
  headers: Headers;
}

/**
 * One browser: keeps the session cookie and sends the Origin header a browser would send from a
 * page of the shop (its public origin), so the shop's CSRF check passes as it does in real life.
 */
export class TestBrowser {
  private cookie: string | null = null;
  constructor(
    private readonly url: string,
    readonly origin: string,
  ) {}

  private async send(method: string, path: string, body?: string, contentType?: string): Promise<PageResponse> {
    const headers: Record<string, string> = {};
    if (method !== 'GET') headers.origin = this.origin;
    if (contentType) headers['content-type'] = contentType;
    if (this.cookie) headers.cookie = this.cookie;
    const response = await fetch(`${this.url}${path}`, { method, headers, body, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.cookie = line.split(';')[0] as string;
    return {
      status: response.status,
      text: await response.text(),
      location: response.headers.get('location'),
      headers: response.headers,
    };
  }

  get(path: string): Promise<PageResponse> {
    return this.send('GET', path);
  }

  postForm(path: string, fields: Record<string, string>): Promise<PageResponse> {
    return this.send('POST', path, new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded');
  }

  // biome-ignore lint/suspicious/noExplicitAny: test responses are read loosely
  async postJson(path: string, body: unknown = {}): Promise<{ status: number; json: any }> {
    const response = await this.send('POST', path, JSON.stringify(body), 'application/json');
    return { status: response.status, json: JSON.parse(response.text) };
  }
}

/** The text of the element with this data-testid (first match), tags stripped; null if absent. */
export function testId(page: string, id: string): string | null {
  const match = new RegExp(`<(\\w+)[^>]*data-testid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(page);
  return match ? (match[2] as string).replace(/<[^>]+>/g, '').trim() : null;
}
