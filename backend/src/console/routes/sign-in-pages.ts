import { ClubpassError } from '@clubpass/shared';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { recordAdminSession } from '../../domain/admin/audited-actions.js';
import { signIn } from '../../domain/sessions/sign-in.js';
import type { AppDeps } from '../../http/app-deps.js';
import { emailSchema } from '../../http/schemas.js';
import { secretDigest } from '../../secrets.js';
import {
  type ConsoleCookies,
  cookieOptions,
  csrfMatches,
  loginToken,
  lookUpSession,
  readCookies,
  safeNext,
  sessionCookieDigest,
} from '../console-session.js';
import { type FieldErrors, renderPage } from '../render.js';

const signInForm = z.object({
  email: emailSchema,
  password: z.string().min(1, 'enter your password').max(1024),
});

/**
 * Sign-in and sign-out. Signing in always opens a new session with a new token (any session the
 * browser brought along is ended first, so a planted token is never promoted); a member account
 * is refused with 403 and its session ended at once. Failed sign-ins are throttled by signIn()
 * exactly as for the API. The sign-in form itself is protected by a double-submit token: a
 * SameSite=Strict cookie that must match a hidden field, so no other site can sign a browser in.
 */
export function signInPages(deps: AppDeps, cookies: ConsoleCookies): Router {
  const router = Router();

  function show(
    req: Request,
    res: Response,
    data: { email?: string; errors?: FieldErrors; problem?: string; next?: string },
    status = 200,
  ) {
    renderPage(
      req,
      res,
      '/sign-in',
      {
        title: 'Sign in',
        nav: null,
        loginToken: loginToken(cookies, req, res),
        email: data.email ?? '',
        errors: data.errors ?? {},
        problem: data.problem ?? null,
        next: data.next ?? safeNext(req.query.next),
      },
      { status },
    );
  }

  router.get('/console/sign-in', async (req, res) => {
    const found = await lookUpSession(deps, cookies, req);
    if (found.kind === 'admin') {
      res.redirect(303, safeNext(req.query.next));
      return;
    }
    show(req, res, {});
  });

  router.post('/console/sign-in', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body.next);
    if (!csrfMatches(body._csrf, readCookies(req).get(cookies.login))) {
      show(req, res, { problem: 'The sign-in form had expired. Nothing was sent; please sign in again.', next }, 403);
      return;
    }
    const email = typeof body.email === 'string' ? body.email : '';
    const parsed = signInForm.safeParse({ email, password: body.password });
    if (!parsed.success) {
      const errors: FieldErrors = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '_form');
        errors[field] = [...(errors[field] ?? []), issue.message];
      }
      show(req, res, { email, errors, next }, 400);
      return;
    }

    // Never carry a session across a sign-in: whatever the cookie named is ended first.
    const previous = sessionCookieDigest(cookies, req);
    if (previous !== null) await deps.store.sessions.delete(previous);

    let result: Awaited<ReturnType<typeof signIn>>;
    try {
      result = await signIn(deps, {
        email: parsed.data.email,
        password: parsed.data.password,
        clientAddress: req.ip ?? 'unknown',
        kind: 'cookie',
      });
    } catch (error) {
      if (error instanceof ClubpassError && error.code === 'invalid_login') {
        show(req, res, { email, problem: 'The e-mail address or password is wrong.', next }, 401);
        return;
      }
      if (error instanceof ClubpassError && error.code === 'rate_limited') {
        res.set('Retry-After', String(error.retryAfterSeconds ?? 60));
        const minutes = Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60));
        show(
          req,
          res,
          {
            email,
            problem: `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
            next,
          },
          429,
        );
        return;
      }
      throw error;
    }

    const digest = secretDigest(result.token);
    if (result.role !== 'admin') {
      await deps.store.sessions.delete(digest);
      res.clearCookie(cookies.session, cookieOptions(cookies));
      renderPage(
        req,
        res,
        '/message',
        {
          title: 'Not available to this account',
          nav: null,
          bare: true,
          status: 403,
          heading: 'Not available to this account',
          text: 'The back office is for club administrators only. Members manage their benefits in the Clubpass extension.',
          link: { href: '/console/sign-in', label: 'Sign in as an administrator' },
        },
        { status: 403 },
      );
      return;
    }
    res.cookie(cookies.session, result.token, cookieOptions(cookies, new Date(result.expiresAt)));
    res.clearCookie(cookies.login, cookieOptions(cookies));
    await recordAdminSession(deps, { accountId: result.accountId, ip: req.ip ?? null }, 'sign_in', 'console');
    res.redirect(303, next);
  });

  router.post('/console/sign-out', async (req, res) => {
    const found = await lookUpSession(deps, cookies, req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (found.kind === 'admin') {
      if (!csrfMatches(body._csrf, found.session.csrfToken)) {
        res.locals.session = found.session;
        renderPage(
          req,
          res,
          '/message',
          {
            title: 'Request refused',
            nav: null,
            status: 403,
            heading: 'Request refused',
            text: 'The form was missing its security token or it did not match your session. You are still signed in.',
          },
          { status: 403 },
        );
        return;
      }
      await deps.store.sessions.delete(found.session.tokenDigest);
      await recordAdminSession(
        deps,
        { accountId: found.session.account.id, ip: req.ip ?? null },
        'sign_out',
        'console',
      );
    }
    res.clearCookie(cookies.session, cookieOptions(cookies));
    res.redirect(303, '/console/sign-in?done=signed-out');
  });

  return router;
}
