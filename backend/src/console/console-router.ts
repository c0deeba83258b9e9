import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClubpassError, ERROR_STATUS } from '@clubpass/shared';
import express, { type ErrorRequestHandler, type NextFunction, type Request, type Response, Router } from 'express';
import type { AppDeps } from '../http/app-deps.js';
import { consoleCookies, csrfMatches, lookUpSession } from './console-session.js';
import { renderPage } from './render.js';
import { affiliatePages } from './routes/affiliate-pages.js';
import { auditPages } from './routes/audit-pages.js';
import { benefitPages } from './routes/benefit-pages.js';
import { credentialPages } from './routes/credential-pages.js';
import { dashboardPages } from './routes/dashboard-pages.js';
import { invoicePages } from './routes/invoice-pages.js';
import { keyPages } from './routes/key-pages.js';
import { memberPages } from './routes/member-pages.js';
import { redemptionPages } from './routes/redemption-pages.js';
import { signInPages } from './routes/sign-in-pages.js';

const STATIC_DIR = fileURLToPath(new URL('./static', import.meta.url));
/** Chart.js's UMD build, served from the backend itself (never a CDN). */
const CHART_JS = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');

/** The largest form body the console accepts. */
const MAX_FORM_BODY = '64kb';

/** Renders a short message page (errors, refusals) inside the layout, or the bare one when signed out. */
export function renderMessage(
  req: Request,
  res: Response,
  status: number,
  heading: string,
  text: string,
  extra: Record<string, unknown> = {},
): void {
  renderPage(
    req,
    res,
    '/message',
    { title: heading, nav: null, status, heading, text, bare: res.locals.session === undefined, ...extra },
    { status },
  );
}

/** A request from another site (browsers say so in Sec-Fetch-Site) never changes anything. */
function crossSite(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  return site !== undefined && site !== 'same-origin' && site !== 'none';
}

/**
 * The admin console: the club's back office as server-rendered pages under /console (every route
 * and middleware here is mounted on that prefix, so nothing reaches the API's paths). It is
 * another edge over the same domain functions as the JSON admin API, with a cookie session
 * (HttpOnly, SameSite=Strict, `__Host-` and Secure on https) and a CSRF token on every form.
 */
export function consoleRouter(deps: AppDeps): Router {
  const router = Router();
  const cookies = consoleCookies(deps.issuer);

  router.use(
    '/console/static',
    express.static(STATIC_DIR, { index: false, maxAge: '1h', fallthrough: true }),
    (req, res, next) => {
      if (req.path === '/chart.umd.min.js') res.set('Cache-Control', 'public, max-age=3600').sendFile(CHART_JS);
      else next();
    },
  );

  // Forms post application/x-www-form-urlencoded; parsed here only, never for the JSON API.
  router.use('/console', express.urlencoded({ extended: false, limit: MAX_FORM_BODY, parameterLimit: 200 }));
  router.use('/console', (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && crossSite(req)) {
      renderMessage(req, res, 403, 'Request refused', 'This form was sent from another site. Nothing was changed.');
      return;
    }
    next();
  });

  router.use(signInPages(deps, cookies));

  // Everything below needs an admin's console session.
  router.use('/console', async (req: Request, res: Response, next: NextFunction) => {
    const found = await lookUpSession(deps, cookies, req);
    if (found.kind === 'forbidden') {
      renderMessage(
        req,
        res,
        403,
        'Not available to this account',
        'The back office is for club administrators only. Sign in with an administrator account to continue.',
        { link: { href: '/console/sign-in', label: 'Sign in as an administrator' } },
      );
      return;
    }
    if (found.kind === 'none') {
      if (req.method === 'GET' || req.method === 'HEAD') {
        res.redirect(303, `/console/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
        return;
      }
      renderMessage(req, res, 403, 'Your session has ended', 'Sign in again, then repeat what you were doing.', {
        link: { href: '/console/sign-in', label: 'Sign in' },
      });
      return;
    }
    res.locals.session = found.session;
    // Every state-changing request carries the session's CSRF token, compared in constant time.
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const submitted = (req.body as Record<string, unknown> | undefined)?._csrf;
      if (!csrfMatches(submitted, found.session.csrfToken)) {
        renderMessage(
          req,
          res,
          403,
          'Request refused',
          'The form was missing its security token or it did not match your session. Nothing was changed. Go back, reload the page and try again.',
        );
        return;
      }
    }
    next();
  });

  router.use(dashboardPages(deps));
  router.use(memberPages(deps));
  router.use(affiliatePages(deps));
  router.use(benefitPages(deps));
  router.use(credentialPages(deps));
  router.use(redemptionPages(deps));
  router.use(invoicePages(deps));
  router.use(keyPages(deps));
  router.use(auditPages(deps));

  router.use('/console', (req, res) => {
    renderMessage(req, res, 404, 'Page not found', 'There is no such page in the back office.', {
      link: { href: '/console', label: 'Go to the dashboard' },
    });
  });
  router.use('/console', consoleErrorHandler(deps));
  return router;
}

const HEADINGS: Partial<Record<number, string>> = {
  400: 'That did not work',
  403: 'Not allowed',
  404: 'Not found',
  409: 'That cannot be done now',
  413: 'Too much data',
  429: 'Too many attempts',
};

/** Errors as pages: a problem the admin can fix is explained; anything else is logged and a 500. */
function consoleErrorHandler(deps: AppDeps): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }
    if (error instanceof ClubpassError) {
      const status = ERROR_STATUS[error.code];
      if (status < 500) {
        const detail = error.errors?.map((e) => e.message).join(' ') ?? '';
        renderMessage(req, res, status, HEADINGS[status] ?? 'That did not work', `${error.message}. ${detail}`.trim());
        return;
      }
    }
    const e = error as { type?: string; status?: number };
    if (e.type === 'entity.too.large') {
      renderMessage(req, res, 413, HEADINGS[413] as string, 'The form sent more than 64 KiB. Nothing was changed.');
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      renderMessage(req, res, 400, HEADINGS[400] as string, 'The form could not be read. Nothing was changed.');
      return;
    }
    deps.logger.error({ err: error, method: req.method, path: req.path }, 'console: unhandled error');
    renderMessage(req, res, 500, 'Something went wrong', 'Something went wrong on our side. Try again in a moment.');
  };
}
