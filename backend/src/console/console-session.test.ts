import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MAX_FAILURES_PER_ACCOUNT, signIn } from '../domain/sessions/sign-in.js';
import { secretDigest } from '../secrets.js';
import { signUpMember } from '../test-support/test-accounts.js';
import { startTestBackend, TEST_NOW, type TestBackend } from '../test-support/test-backend.js';
import { testDatabaseKinds } from '../test-support/test-database.js';
import { consoleCookies, safeNext } from './console-session.js';
import { CONSOLE_PAGES, CONSOLE_PASSWORD, ConsoleClient, createAdmin, csrfOf } from './console-test-client.js';

const SESSION_COOKIE = '__Host-clubpass_console';

/** The Set-Cookie line for a cookie name, or undefined. */
function setCookie(headers: Headers, name: string): string | undefined {
  return headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

describe('console cookies', () => {
  test('https issuer: __Host- prefix and Secure; http issuer (local): neither', () => {
    assert.deepEqual(consoleCookies('https://club.example'), {
      session: '__Host-clubpass_console',
      login: '__Host-clubpass_console_login',
      secure: true,
    });
    assert.deepEqual(consoleCookies('http://127.0.0.1:8080'), {
      session: 'clubpass_console',
      login: 'clubpass_console_login',
      secure: false,
    });
  });

  test('after sign-in only console paths are followed: no open redirect', () => {
    for (const bad of [
      'https://evil.example/console',
      '//evil.example/console',
      '/\\evil.example',
      '/console//evil.example',
      '/consoleevil',
      '/v1/admin/keys',
      'javascript:alert(1)',
      '/console/sign-out',
      undefined,
      ['/console/keys'],
    ]) {
      assert.equal(safeNext(bad), '/console', String(bad));
    }
    assert.equal(safeNext('/console/invoices?status=submitted'), '/console/invoices?status=submitted');
    assert.equal(safeNext('/console'), '/console');
  });
});

for (const kind of testDatabaseKinds()) {
  describe(`console sign-in and sessions on ${kind}`, () => {
    let backend: TestBackend;
    let adminEmail: string;
    before(async () => {
      backend = await startTestBackend(kind);
      adminEmail = await createAdmin(backend);
    });
    after(() => backend.close());

    const sessionRows = (accountEmail: string) =>
      backend.database.db
        .selectFrom('sessions')
        .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
        .select(['sessions.token_digest', 'sessions.kind', 'sessions.csrf_token'])
        .where('accounts.email', '=', accountEmail)
        .execute();

    test('without a session every page redirects to sign-in, keeping where the admin was going', async () => {
      const client = new ConsoleClient(backend);
      for (const path of CONSOLE_PAGES) {
        const res = await client.get(path);
        assert.equal(res.status, 303, path);
        assert.equal(res.location, `/console/sign-in?next=${encodeURIComponent(path)}`);
      }
      const post = await client.post('/console/affiliates', { name: 'x', origins: 'https://x.example' }, 'whatever');
      assert.equal(post.status, 403);
      assert.equal(await backend.store.affiliates.listAll().then((a) => a.length), 0);
    });

    test('sign-in: a cookie session, HttpOnly, SameSite=Strict, Secure, __Host-, with its own CSRF token', async () => {
      const client = new ConsoleClient(backend);
      const form = await client.get('/console/sign-in');
      assert.equal(form.status, 200);
      assert.equal(form.headers.get('cache-control'), 'no-store');
      assert.match(form.text, /<label for="f-email">E-mail address/);
      assert.match(form.text, /<label for="f-password">Password/);
      const login = setCookie(form.headers, '__Host-clubpass_console_login');
      assert.ok(login, 'the sign-in form sets its CSRF cookie');
      assert.match(login, /; HttpOnly/);
      assert.match(login, /; Secure/);
      assert.match(login, /; SameSite=Strict/);

      const res = await client.post(
        '/console/sign-in',
        { email: adminEmail, password: CONSOLE_PASSWORD, next: '/console/keys', _csrf: csrfOf(form.text) },
        null,
      );
      assert.equal(res.status, 303);
      assert.equal(res.location, '/console/keys');
      const cookie = setCookie(res.headers, SESSION_COOKIE);
      assert.ok(cookie);
      assert.match(cookie, /^__Host-clubpass_console=cps_[A-Za-z0-9_-]{43}; Path=\/; Expires=/);
      assert.match(cookie, /; HttpOnly/);
      assert.match(cookie, /; Secure/);
      assert.match(cookie, /; SameSite=Strict/);
      assert.doesNotMatch(cookie, /Domain=/i);

      const token = client.cookies.get(SESSION_COOKIE) as string;
      const rows = await sessionRows(adminEmail);
      const row = rows.find((r) => r.token_digest === secretDigest(token));
      assert.ok(row, 'the session is stored by its digest');
      assert.equal(row.kind, 'cookie');
      assert.match(row.csrf_token ?? '', /^[A-Za-z0-9_-]{43}$/);
      assert.ok(!rows.some((r) => r.token_digest === token), 'never the token itself');

      const page = await client.get('/console/keys');
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('cache-control'), 'no-store');
      assert.equal(csrfOf(page.text), row.csrf_token);
      assert.ok(page.text.includes(adminEmail));
    });

    test('every sign-in gets a fresh token; the session the browser brought along is ended', async () => {
      const client = new ConsoleClient(backend);
      assert.equal((await client.signIn(adminEmail)).status, 303);
      const first = client.cookies.get(SESSION_COOKIE) as string;
      // A planted (or merely old) token in the cookie is never carried over.
      assert.equal((await client.signIn(adminEmail)).status, 303);
      const second = client.cookies.get(SESSION_COOKIE) as string;
      assert.notEqual(second, first);
      const digests = (await sessionRows(adminEmail)).map((r) => r.token_digest);
      assert.ok(!digests.includes(secretDigest(first)), 'the old session is gone server-side');
      assert.ok(digests.includes(secretDigest(second)));
      const stale = new ConsoleClient(backend);
      stale.cookies.set(SESSION_COOKIE, first);
      assert.equal((await stale.get('/console')).status, 303);
      // A made-up token that was never a session is simply replaced.
      const planted = new ConsoleClient(backend);
      planted.cookies.set(SESSION_COOKIE, 'cps_planted-by-someone-else-aaaaaaaaaaaaaaaaaaaaaa');
      assert.equal((await planted.signIn(adminEmail)).status, 303);
      assert.notEqual(planted.cookies.get(SESSION_COOKIE), 'cps_planted-by-someone-else-aaaaaaaaaaaaaaaaaaaaaa');
    });

    test('sign-out ends the session server-side and clears the cookie; it needs the CSRF token', async () => {
      const client = new ConsoleClient(backend);
      await client.signIn(adminEmail);
      const token = client.cookies.get(SESSION_COOKIE) as string;
      const csrf = await client.csrf();
      const refused = await client.post('/console/sign-out', {}, null);
      assert.equal(refused.status, 403);
      assert.equal((await client.get('/console')).status, 200, 'still signed in');
      const wrong = await client.post('/console/sign-out', { _csrf: `${csrf.slice(0, -1)}x` }, null);
      assert.equal(wrong.status, 403);

      const res = await client.post('/console/sign-out', {}, csrf);
      assert.equal(res.status, 303);
      assert.equal(res.location, '/console/sign-in?done=signed-out');
      assert.match(setCookie(res.headers, SESSION_COOKIE) ?? '', /Expires=Thu, 01 Jan 1970/);
      assert.equal(await backend.store.sessions.findActive(secretDigest(token), TEST_NOW), null);
      const replay = new ConsoleClient(backend);
      replay.cookies.set(SESSION_COOKIE, token);
      assert.equal((await replay.get('/console')).status, 303, 'the old cookie opens nothing');
      const signedOut = await client.get('/console/sign-in?done=signed-out');
      assert.match(signedOut.text, /You are signed out\./);
    });

    test('a wrong password: 401 page, no session, no hint which part was wrong', async () => {
      const client = new ConsoleClient(backend);
      const email = await createAdmin(backend);
      const res = await client.signIn(email, 'not the password');
      assert.equal(res.status, 401);
      assert.match(res.text, /The e-mail address or password is wrong\./);
      assert.equal(setCookie(res.headers, SESSION_COOKIE), undefined);
      assert.equal((await sessionRows(email)).length, 0);
      const unknown = await client.signIn('nobody@example.org', 'not the password');
      assert.equal(unknown.status, 401);
      assert.match(unknown.text, /The e-mail address or password is wrong\./);
    });

    test('the sign-in form is CSRF-protected: without the matching cookie and field, 403 and no session', async () => {
      const email = await createAdmin(backend);
      const client = new ConsoleClient(backend);
      const noToken = await client.post('/console/sign-in', { email, password: CONSOLE_PASSWORD }, null);
      assert.equal(noToken.status, 403);
      const page = await client.get('/console/sign-in');
      const wrong = await client.post(
        '/console/sign-in',
        { email, password: CONSOLE_PASSWORD, _csrf: `${csrfOf(page.text).slice(0, -2)}xx` },
        null,
      );
      assert.equal(wrong.status, 403);
      const other = new ConsoleClient(backend); // the field from one browser, without its cookie
      const stolen = await other.post(
        '/console/sign-in',
        { email, password: CONSOLE_PASSWORD, _csrf: csrfOf(page.text) },
        null,
      );
      assert.equal(stolen.status, 403);
      assert.equal((await sessionRows(email)).length, 0);
    });

    test('a member account is refused with 403 and keeps no console session', async () => {
      const member = await signUpMember(backend);
      const client = new ConsoleClient(backend);
      const res = await client.signIn(member.email);
      assert.equal(res.status, 403);
      assert.match(res.text, /for club administrators only/);
      assert.equal(client.cookies.get(SESSION_COOKIE), undefined);
      const rows = await sessionRows(member.email);
      assert.deepEqual(
        rows.map((r) => r.kind),
        ['bearer'],
        'only the API session signUpMember opened is left',
      );
    });

    test('a member’s session cannot open any console page, cookie session or bearer token alike', async () => {
      const member = await signUpMember(backend);
      const cookieSession = await signIn(backend.deps, {
        email: member.email,
        password: CONSOLE_PASSWORD,
        clientAddress: '127.0.0.1',
        kind: 'cookie',
      });
      for (const token of [cookieSession.token, member.token]) {
        const client = new ConsoleClient(backend);
        client.cookies.set(SESSION_COOKIE, token);
        for (const path of [...CONSOLE_PAGES, `/console/members/${member.id}`]) {
          const res = await client.get(path);
          assert.equal(res.status, 403, path);
          assert.match(res.text, /Not available to this account/);
          assert.doesNotMatch(res.text, /Sign out<\/button>[\s\S]*Dashboard/);
        }
        const post = await client.post(
          '/console/affiliates',
          { name: 'Member shop', origins: 'https://member-shop.example' },
          cookieSession.csrfToken,
        );
        assert.equal(post.status, 403);
      }
      assert.equal((await backend.store.affiliates.listAll()).length, 0);
    });

    test('an admin’s API bearer token is no console session', async () => {
      const res = await backend.request('POST', '/v1/sessions', {
        body: { email: adminEmail, password: CONSOLE_PASSWORD },
      });
      assert.equal(res.status, 201);
      const client = new ConsoleClient(backend);
      client.cookies.set(SESSION_COOKIE, res.body.token);
      const page = await client.get('/console');
      assert.equal(page.status, 303);
      assert.match(page.location ?? '', /^\/console\/sign-in/);
    });

    test('failed sign-ins are throttled as for the API: 429 with Retry-After, even with the right password', async () => {
      const email = await createAdmin(backend);
      const client = new ConsoleClient(backend);
      for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
        assert.equal((await client.signIn(email, 'wrong password')).status, 401);
      }
      const limited = await client.signIn(email);
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      assert.match(limited.text, /Too many failed sign-ins/);
      assert.equal(setCookie(limited.headers, SESSION_COOKIE), undefined);
      const api = await backend.request('POST', '/v1/sessions', { body: { email, password: CONSOLE_PASSWORD } });
      assert.equal(api.status, 429, 'one throttle for both edges');
    });

    test('an admin already signed in goes straight to the console; next is honoured only on /console', async () => {
      const client = new ConsoleClient(backend);
      const res = await client.signIn(adminEmail, CONSOLE_PASSWORD, 'https://evil.example/');
      assert.equal(res.location, '/console');
      const again = await client.get('/console/sign-in?next=%2Fconsole%2Faudit');
      assert.equal(again.status, 303);
      assert.equal(again.location, '/console/audit');
    });
  });
}
