import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { registerAccount } from '../../domain/members/register-member.js';
import {
  LOGIN_WINDOW_SECONDS,
  MAX_FAILURES_PER_ACCOUNT,
  MAX_FAILURES_PER_ADDRESS,
  SESSION_TTL_SECONDS,
} from '../../domain/sessions/sign-in.js';
import { newId } from '../../ids.js';
import { secretDigest } from '../../secrets.js';
import { registration } from '../../test-support/account-fixtures.js';
import { assertNoPasswordHash, assertProblem, errorPaths } from '../../test-support/problem-assertions.js';
import { startTestBackend, TEST_NOW, type TestBackend } from '../../test-support/test-backend.js';
import { testDatabaseKinds } from '../../test-support/test-database.js';

const PASSWORD = 'correct horse battery';
const WRONG = 'wrong horse battery';

// Every test gets its own backend: login failures from 127.0.0.1 and the clock are per backend.
for (const kind of testDatabaseKinds()) {
  describe(`session routes on ${kind}`, () => {
    let backend: TestBackend;
    beforeEach(async () => {
      backend = await startTestBackend(kind);
    });
    afterEach(() => backend.close());

    async function signUp(email: string, password = PASSWORD): Promise<void> {
      const created = await backend.request('POST', '/v1/members', { body: registration(email, password) });
      assert.equal(created.status, 201, JSON.stringify(created.body));
    }
    const login = (email: string, password: string) =>
      backend.request('POST', '/v1/sessions', { body: { email, password } });

    describe('bad input and no session', () => {
      test('malformed JSON is 400 invalid_request', async () => {
        const response = await backend.request('POST', '/v1/sessions', { body: '{"email":' });
        assertProblem(response, 400, 'invalid_request');
      });

      test('missing fields and a malformed e-mail are 400 with their paths, not 401', async () => {
        const missing = await backend.request('POST', '/v1/sessions', { body: {} });
        assertProblem(missing, 400, 'invalid_request');
        assert.deepEqual(errorPaths(missing).sort(), ['email', 'password']);
        const badEmail = await login('not-an-address', PASSWORD);
        assertProblem(badEmail, 400, 'invalid_request');
        assert.deepEqual(errorPaths(badEmail), ['email']);
      });

      test('DELETE /v1/sessions/current without a session is 401 unauthorized', async () => {
        assertProblem(await backend.request('DELETE', '/v1/sessions/current'), 401, 'unauthorized');
        const unknown = await backend.request('DELETE', '/v1/sessions/current', { token: `cps_${'B'.repeat(43)}` });
        assertProblem(unknown, 401, 'unauthorized');
      });
    });

    describe('signing in and out', () => {
      test('POST /v1/sessions is 201 with token, expires_at and role; only the token digest is stored', async () => {
        await signUp('ann@example.com');
        const response = await login(' ANN@Example.com ', PASSWORD);
        assert.equal(response.status, 201, JSON.stringify(response.body));
        assert.deepEqual(Object.keys(response.body).sort(), ['expires_at', 'role', 'token']);
        assert.match(response.body.token, /^cps_[A-Za-z0-9_-]{43}$/);
        assert.equal(response.body.expires_at, '2026-12-04T00:00:00Z');
        assert.equal(response.body.role, 'member');
        assertNoPasswordHash(response);

        const rows = await backend.database.db.selectFrom('sessions').selectAll().execute();
        assert.equal(rows.length, 1);
        assert.equal(rows[0]?.token_digest, secretDigest(response.body.token));
        assert.ok(!JSON.stringify(rows).includes(response.body.token), 'the token itself is not stored');
      });

      test('each sign-in gets its own token', async () => {
        await signUp('ann@example.com');
        const a = await login('ann@example.com', PASSWORD);
        const b = await login('ann@example.com', PASSWORD);
        assert.notEqual(a.body.token, b.body.token);
      });

      test('an admin signs in the same way and gets role admin', async () => {
        await registerAccount(
          backend.deps,
          {
            email: 'root@example.com',
            password: PASSWORD,
            givenName: 'Ada',
            familyName: 'Admin',
            phoneNumber: null,
            address: null,
          },
          'admin',
        );
        const response = await login('root@example.com', PASSWORD);
        assert.equal(response.status, 201);
        assert.equal(response.body.role, 'admin');
      });

      test('DELETE /v1/sessions/current is 204, after which that token is 401 and others still work', async () => {
        await signUp('ann@example.com');
        const kept = (await login('ann@example.com', PASSWORD)).body.token;
        const ended = (await login('ann@example.com', PASSWORD)).body.token;
        assert.equal((await backend.request('GET', '/v1/members/me', { token: ended })).status, 200);

        const logout = await backend.request('DELETE', '/v1/sessions/current', { token: ended });
        assert.equal(logout.status, 204);
        assert.equal(logout.body, null);

        assertProblem(await backend.request('GET', '/v1/members/me', { token: ended }), 401, 'unauthorized');
        assertProblem(await backend.request('DELETE', '/v1/sessions/current', { token: ended }), 401, 'unauthorized');
        assert.equal((await backend.request('GET', '/v1/members/me', { token: kept })).status, 200);
      });

      test('a session works until 12 h have passed and is 401 from then on', async () => {
        await signUp('ann@example.com');
        const { token } = (await login('ann@example.com', PASSWORD)).body;
        backend.clock.advance(SESSION_TTL_SECONDS - 1);
        assert.equal((await backend.request('GET', '/v1/members/me', { token })).status, 200);
        backend.clock.advance(1);
        assertProblem(await backend.request('GET', '/v1/members/me', { token }), 401, 'unauthorized');
        assertProblem(await backend.request('DELETE', '/v1/sessions/current', { token }), 401, 'unauthorized');
      });
    });

    describe('failed sign-ins', () => {
      test('an unknown e-mail and a wrong password get the same status, code and body', async () => {
        await signUp('ann@example.com');
        const wrongPassword = await login('ann@example.com', WRONG);
        const unknownEmail = await login('nobody@example.com', WRONG);
        assertProblem(wrongPassword, 401, 'invalid_login');
        assertProblem(unknownEmail, 401, 'invalid_login');
        assert.deepEqual(unknownEmail.body, wrongPassword.body);
        for (const header of ['content-type', 'www-authenticate', 'retry-after']) {
          assert.equal(unknownEmail.headers.get(header), wrongPassword.headers.get(header), header);
        }
        assert.doesNotMatch(JSON.stringify(wrongPassword.body), /nobody|ann@|exist|unknown|not found/i);
      });

      test('after 10 failures for an e-mail even the right password is 429 until the window has passed', async () => {
        await signUp('ann@example.com');
        await signUp('bob@example.com');
        for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
          // Any spelling of the address counts against the same account.
          const email = i % 2 === 0 ? 'ann@example.com' : ' ANN@EXAMPLE.COM';
          assertProblem(await login(email, WRONG), 401, 'invalid_login');
          backend.clock.advance(1);
        }
        // Failures at t0 .. t0+9 s; now t0+10 s: the first one leaves the window at t0+900 s.
        const limited = await login('ann@example.com', PASSWORD);
        assertProblem(limited, 429, 'rate_limited');
        assert.equal(limited.headers.get('retry-after'), String(LOGIN_WINDOW_SECONDS - 10));
        assertProblem(await login('Ann@Example.com', PASSWORD), 429, 'rate_limited');
        // Other accounts from the same address are not affected.
        assert.equal((await login('bob@example.com', PASSWORD)).status, 201);

        backend.clock.advance(LOGIN_WINDOW_SECONDS - 10 - 1);
        const almost = await login('ann@example.com', PASSWORD);
        assertProblem(almost, 429, 'rate_limited');
        assert.equal(almost.headers.get('retry-after'), '1');
        backend.clock.advance(1); // exactly what Retry-After said
        const after = await login('ann@example.com', PASSWORD);
        assert.equal(after.status, 201, JSON.stringify(after.body));
        assert.equal(after.body.role, 'member');
      });

      test('an unknown e-mail is throttled like a known one, with the same answer', async () => {
        await signUp('ann@example.com');
        assertProblem(await login('ghost@example.com', WRONG), 401, 'invalid_login');
        assertProblem(await login('ann@example.com', WRONG), 401, 'invalid_login');
        // The one HTTP failure each was recorded; top both up to the limit without 18 more scrypt runs.
        for (const email of ['ghost@example.com', 'ann@example.com']) {
          const { count } = await backend.store.sessions.failuresSince(`email:${email}`, '2000-01-01T00:00:00.000Z');
          assert.equal(count, 1);
          for (let i = 1; i < MAX_FAILURES_PER_ACCOUNT; i++) {
            await backend.store.sessions.recordFailure(newId('lfl'), `email:${email}`, TEST_NOW);
          }
        }
        const ghost = await login('ghost@example.com', WRONG);
        const ann = await login('ann@example.com', PASSWORD);
        assertProblem(ghost, 429, 'rate_limited');
        assertProblem(ann, 429, 'rate_limited');
        assert.deepEqual(ghost.body, ann.body);
        assert.equal(ghost.headers.get('retry-after'), ann.headers.get('retry-after'));
      });

      test('a successful sign-in does not count as a failure', async () => {
        await signUp('ann@example.com');
        for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT - 1; i++) {
          assertProblem(await login('ann@example.com', WRONG), 401, 'invalid_login');
        }
        for (let i = 0; i < 3; i++) assert.equal((await login('ann@example.com', PASSWORD)).status, 201);
        assertProblem(await login('ann@example.com', WRONG), 401, 'invalid_login'); // the 10th failure
        assertProblem(await login('ann@example.com', PASSWORD), 429, 'rate_limited');
      });

      test('a burst of parallel guesses gets at most 10 password checks', async () => {
        // A slower hash widens the gap between the throttle check and the failure being recorded.
        await backend.close();
        backend = await startTestBackend(kind, { password: { N: 2 ** 14, r: 8, p: 1 } });
        await signUp('ann@example.com');
        const responses = await Promise.all(Array.from({ length: 30 }, () => login('ann@example.com', WRONG)));
        const statuses = responses.map((r) => r.status);
        const checked = statuses.filter((s) => s === 401).length;
        // Racing attempts may see each other's pending rows and give up early, so fewer than 10 is fine.
        assert.ok(checked >= 1 && checked <= MAX_FAILURES_PER_ACCOUNT, statuses.join(','));
        assert.equal(statuses.filter((s) => s === 429).length, 30 - checked, statuses.join(','));
        const { count } = await backend.store.sessions.failuresSince(
          'email:ann@example.com',
          '2000-01-01T00:00:00.000Z',
        );
        assert.equal(count, checked, 'each checked guess is one recorded failure; refused ones leave none');
      });

      test('after 100 failures from one address, spread over e-mails and time, every login from it is 429', async () => {
        const emails = Array.from({ length: 11 }, (_, i) => `member${i}@example.com`);
        for (const email of emails) await signUp(email);
        // 10 accounts x 10 failures: no single account reaches its own limit before the last failure.
        // The first 50 at t0, the other 50 ten minutes later.
        for (const [i, email] of emails.slice(0, 10).entries()) {
          if (i === 5) backend.clock.advance(600);
          for (let j = 0; j < MAX_FAILURES_PER_ACCOUNT; j++) {
            assertProblem(await login(email, WRONG), 401, 'invalid_login');
          }
        }
        assert.equal(
          (await backend.store.sessions.failuresSince('ip:::ffff:127.0.0.1', '2000-01-01T00:00:00.000Z')).count +
            (await backend.store.sessions.failuresSince('ip:127.0.0.1', '2000-01-01T00:00:00.000Z')).count,
          MAX_FAILURES_PER_ADDRESS,
        );
        // An account without a single failure, with its right password, and an unknown one: both 429.
        const fresh = await login(emails[10] as string, PASSWORD);
        assertProblem(fresh, 429, 'rate_limited');
        assert.equal(fresh.headers.get('retry-after'), '300'); // the t0 failures leave the window at t0+900 s
        assertProblem(await login('nobody@example.com', WRONG), 429, 'rate_limited');

        backend.clock.advance(299);
        assertProblem(await login(emails[10] as string, PASSWORD), 429, 'rate_limited');
        backend.clock.advance(1);
        // The first 50 failures have left the window; the other 50 are still in it.
        const after = await login(emails[10] as string, PASSWORD);
        assert.equal(after.status, 201, JSON.stringify(after.body));
      });
    });
  });
}
