import { fileURLToPath } from 'node:url';
import type { Clock } from '@clubpass/shared';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { createClubClient } from './club.js';
import type { ShopSettings } from './config.js';
import type { ShopContext } from './context.js';
import type { ShopDb } from './database.js';
import { billingRoutes } from './routes/billing.js';
import { linkRoutes } from './routes/link.js';
import { membershipRoutes } from './routes/membership.js';
import { shopRoutes } from './routes/shop.js';
import { sessions } from './sessions.js';
import { messagePage } from './views/layout.js';

export interface ShopAppOptions {
  settings: ShopSettings;
  db: ShopDb;
  /** Injected so tests can run the shop on the club's frozen test clock. */
  clock?: Clock;
  /** Injected so tests can watch what the shop asks the club. */
  fetch?: typeof fetch;
}

const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));

/**
 * No inline script or style anywhere, so the CSP can be strict: scripts only from this shop and
 * from the club (its snippet). A script injected into a page cannot run, and so cannot ask the
 * member for a presentation on our behalf.
 */
function securityHeaders(clubUrl: string): RequestHandler {
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${new URL(clubUrl).origin}`,
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return (_req, res, next) => {
    res.set({
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      // same-origin keeps the Origin header on our own form posts, which sameOriginOnly checks.
      'Referrer-Policy': 'same-origin',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
    next();
  };
}

/**
 * CSRF defence for every state-changing request: the browser's Origin header must be our own
 * public origin. (The session cookie is SameSite=Lax besides.)
 */
function sameOriginOnly(publicOrigin: string, merchant: ShopSettings['merchant']): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.get('origin') === publicOrigin) return next();
    const message = `This request did not come from ${publicOrigin}. Open the shop at that address and try again.`;
    if (req.path.startsWith('/api/')) res.status(403).json({ error: { code: 'forbidden', message } });
    else res.status(403).send(messagePage(merchant, 'Request refused', message));
  };
}

/** Builds the shop's HTTP app. It does not listen: server.ts does, and tests use an ephemeral port. */
export function createShopApp(options: ShopAppOptions): Express {
  const { settings, db } = options;
  const clock = options.clock ?? { now: () => new Date() };
  const ctx: ShopContext = {
    settings,
    db,
    clock,
    club: createClubClient({ clubUrl: settings.clubUrl, apiKey: settings.apiKey, clock, fetch: options.fetch }),
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders(settings.clubUrl));
  app.use('/static', express.static(PUBLIC_DIR, { index: false, maxAge: '10m' }));
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(sameOriginOnly(settings.publicOrigin, settings.merchant));
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));
  app.use(express.json({ limit: '64kb' }));
  app.use(
    sessions({
      db,
      clock,
      // Two demo merchants on one host (127.0.0.1:3001 and :3002) share cookies, which ignore
      // ports: a cookie name per merchant keeps their sessions apart.
      cookieName: `${settings.merchant.mode}_session`,
      secure: settings.publicOrigin.startsWith('https:'),
    }),
  );
  app.use(shopRoutes(ctx));
  app.use(membershipRoutes(ctx));
  app.use(linkRoutes(ctx));
  app.use(billingRoutes(ctx));

  app.use((_req, res) => {
    res.status(404).send(messagePage(settings.merchant, 'Page not found', 'There is nothing at this address.'));
  });
  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    const status = typeof error?.status === 'number' && error.status < 500 ? error.status : 500;
    if (status === 500) console.error(`${req.method} ${req.path} failed:`, error);
    const message =
      status === 500 ? 'Something went wrong on our side. Please try again.' : 'The request was not valid.';
    const code = status === 500 ? 'internal_error' : 'invalid_request';
    if (req.path.startsWith('/api/')) res.status(status).json({ error: { code, message } });
    else res.status(status).send(messagePage(settings.merchant, 'Sorry', message));
  };
  app.use(onError);
  return app;
}
