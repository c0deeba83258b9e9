import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isValidMembershipNumber } from '../../domain/members/membership-number.js';
import { verifyPassword } from '../../domain/members/password-hash.js';
import { registerAccount } from '../../domain/members/register-member.js';
import { registration } from '../../test-support/account-fixtures.js';
import { assertNoPasswordHash, assertProblem, errorPaths } from '../../test-support/problem-assertions.js';
import { startTestBackend, type TestBackend } from '../../test-support/test-backend.js';
import { testDatabaseKinds } from '../../test-support/test-database.js';

const PASSWORD = 'correct horse battery';

for (const kind of testDatabaseKinds()) {
  describe(`member routes on ${kind}`, () => {
    let backend: TestBackend;
    let n = 0;
    before(async () => {
      backend = await startTestBackend(kind);
    });
    after(() => backend.close());

    const uniqueEmail = () => `member${++n}@example.com`;

    async function signUpAndIn(email = uniqueEmail()): Promise<{ token: string; profile: Record<string, unknown> }> {
      const created = await backend.request('POST', '/v1/members', { body: registration(email, PASSWORD) });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const session = await backend.request('POST', '/v1/sessions', { body: { email, password: PASSWORD } });
      assert.equal(session.status, 201, JSON.stringify(session.body));
      return { token: session.body.token, profile: created.body };
    }

    describe('who is not signed in', () => {
      test('GET /v1/members/me without a session is 401 unauthorized with WWW-Authenticate', async () => {
        const response = await backend.request('GET', '/v1/members/me');
        assertProblem(response, 401, 'unauthorized');
        assert.equal(response.headers.get('www-authenticate'), 'Bearer');
      });

      test('a malformed, unknown, foreign or non-Bearer credential is 401 too', async () => {
        const headers = [
          'Bearer',
          'Bearer not a token',
          `Bearer cps_${'A'.repeat(43)}`, // well-formed session token that was never issued
          `Bearer cpk_${'A'.repeat(43)}`, // an affiliate API key is not a session
          `Basic ${Buffer.from('ann@example.com:password').toString('base64')}`,
        ];
        for (const authorization of headers) {
          const response = await backend.request('GET', '/v1/members/me', { headers: { authorization } });
          assertProblem(response, 401, 'unauthorized');
        }
      });
    });

    describe('bad input', () => {
      test('malformed JSON is 400 invalid_request', async () => {
        const response = await backend.request('POST', '/v1/members', { body: '{"email": "ann@example.com",' });
        assertProblem(response, 400, 'invalid_request');
      });

      test('a body that is not a JSON object, or no body at all, is 400 invalid_request', async () => {
        for (const body of ['[]', '"text"', 'null']) {
          assertProblem(await backend.request('POST', '/v1/members', { body }), 400, 'invalid_request');
        }
        assertProblem(await backend.request('POST', '/v1/members'), 400, 'invalid_request');
        const plain = await backend.request('POST', '/v1/members', {
          body: JSON.stringify(registration(uniqueEmail())),
          headers: { 'content-type': 'text/plain' },
        });
        assertProblem(plain, 400, 'invalid_request');
      });

      test('a body over 64 KiB is 413 too_large; one of exactly 64 KiB is read', async () => {
        const exactly = JSON.stringify({ pad: 'x'.repeat(64 * 1024 - 10) });
        assert.equal(Buffer.byteLength(exactly), 64 * 1024);
        const read = await backend.request('POST', '/v1/members', { body: exactly });
        assertProblem(read, 400, 'invalid_request'); // read and validated, not refused for size
        const over = JSON.stringify({ pad: 'x'.repeat(64 * 1024 - 9) });
        assertProblem(await backend.request('POST', '/v1/members', { body: over }), 413, 'too_large');
      });

      test('a chunked body over 64 KiB (no Content-Length) is 413 too_large', async () => {
        const chunk = new TextEncoder().encode(`{"pad":"${'x'.repeat(16 * 1024)}`);
        let sent = 0;
        const stream = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent++ < 5) controller.enqueue(chunk);
            else controller.close();
          },
        });
        const response = await fetch(`${backend.url}/v1/members`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: stream,
          duplex: 'half',
        } as RequestInit);
        assert.equal(response.status, 413);
        assert.equal(((await response.json()) as { code: string }).code, 'too_large');
      });

      test('an unknown route or method is 404 not_found', async () => {
        assertProblem(await backend.request('GET', '/v1/nothing-here'), 404, 'not_found');
        assertProblem(await backend.request('DELETE', '/v1/members/me'), 404, 'not_found');
        assertProblem(await backend.request('GET', '/'), 404, 'not_found');
      });

      test('each bad field gets its own error, unknown fields included', async () => {
        const response = await backend.request('POST', '/v1/members', {
          body: {
            email: 'not-an-address',
            password: 'short',
            given_name: '',
            family_name: 'Example',
            nickname: 'annie',
            address: { country: 'Germany', floor: '3' },
          },
        });
        assertProblem(response, 400, 'invalid_request');
        assert.deepEqual(errorPaths(response).sort(), [
          'address.country',
          'address.floor',
          'email',
          'given_name',
          'nickname',
          'password',
        ]);
      });

      test('missing required fields are named', async () => {
        const response = await backend.request('POST', '/v1/members', { body: {} });
        assertProblem(response, 400, 'invalid_request');
        assert.deepEqual(errorPaths(response).sort(), ['email', 'family_name', 'given_name', 'password']);
      });

      test('passwords are counted in code points: 8 emoji pass, 7 do not; 256 pass, 257 do not', async () => {
        const emoji = '\u{1F600}'; // two UTF-16 code units each
        const sevenEmoji = await backend.request('POST', '/v1/members', {
          body: registration(uniqueEmail(), emoji.repeat(7)),
        });
        assertProblem(sevenEmoji, 400, 'invalid_request');
        assert.deepEqual(errorPaths(sevenEmoji), ['password']);

        const eightEmoji = uniqueEmail();
        const created = await backend.request('POST', '/v1/members', {
          body: registration(eightEmoji, emoji.repeat(8)),
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const signIn = await backend.request('POST', '/v1/sessions', {
          body: { email: eightEmoji, password: emoji.repeat(8) },
        });
        assert.equal(signIn.status, 201);

        const longest = await backend.request('POST', '/v1/members', {
          body: registration(uniqueEmail(), emoji.repeat(256)),
        });
        assert.equal(longest.status, 201, JSON.stringify(longest.body));
        for (const tooLong of [emoji.repeat(257), 'a'.repeat(257)]) {
          const response = await backend.request('POST', '/v1/members', { body: registration(uniqueEmail(), tooLong) });
          assertProblem(response, 400, 'invalid_request');
          assert.deepEqual(errorPaths(response), ['password']);
        }
      });
    });

    describe('registration and the profile', () => {
      test('POST /v1/members is 201 with a Luhn-valid membership number and a normalized e-mail', async () => {
        const response = await backend.request('POST', '/v1/members', {
          body: {
            ...registration(' Ann@Example.COM ', PASSWORD),
            phone_number: '+49 30 1234567',
            address: { street_address: 'Hauptstr. 1', locality: 'Berlin', postal_code: '10115', country: 'de' },
          },
        });
        assert.equal(response.status, 201, JSON.stringify(response.body));
        assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
        assert.equal(response.headers.get('location'), '/v1/members/me');
        const body = response.body;
        assert.match(body.id, /^mem_[A-Za-z0-9_-]{22,}$/);
        assert.match(body.membership_number, /^CP-\d{10}$/);
        assert.ok(isValidMembershipNumber(body.membership_number));
        assert.equal(body.email, 'ann@example.com');
        assert.equal(body.given_name, 'Ann');
        assert.equal(body.family_name, 'Example');
        assert.equal(body.created_at, '2026-12-03T12:00:00Z');
        assert.deepEqual(body.address, {
          street_address: 'Hauptstr. 1',
          locality: 'Berlin',
          postal_code: '10115',
          country: 'DE',
        });
        assertNoPasswordHash(response);

        const stored = await backend.store.accounts.findById(body.id);
        assert.ok(stored);
        assert.equal(stored.email, 'ann@example.com');
        assert.equal(stored.role, 'member');
        assert.notEqual(stored.passwordHash, PASSWORD);
        assert.ok(!stored.passwordHash.includes(PASSWORD));
        assert.match(stored.passwordHash, /^scrypt\$1024\$8\$1\$/);
        assert.equal(await verifyPassword(PASSWORD, stored.passwordHash), true);
      });

      test('a taken address is 409 conflict, whatever its case, and nothing is added', async () => {
        const email = uniqueEmail();
        assert.equal((await backend.request('POST', '/v1/members', { body: registration(email) })).status, 201);
        const before = await backend.store.accounts.count('member');
        for (const again of [email, ` ${email.toUpperCase()} `]) {
          const response = await backend.request('POST', '/v1/members', {
            body: registration(again, 'another password'),
          });
          assertProblem(response, 409, 'conflict');
          assert.deepEqual(errorPaths(response), ['email']);
        }
        assert.equal(await backend.store.accounts.count('member'), before);
        // The first registration's password still signs in; the second did not overwrite it.
        const signIn = await backend.request('POST', '/v1/sessions', { body: { email, password: PASSWORD } });
        assert.equal(signIn.status, 201);
      });

      test('two members get different ids and membership numbers', async () => {
        const a = await backend.request('POST', '/v1/members', { body: registration(uniqueEmail()) });
        const b = await backend.request('POST', '/v1/members', { body: registration(uniqueEmail()) });
        assert.notEqual(a.body.id, b.body.id);
        assert.notEqual(a.body.membership_number, b.body.membership_number);
      });

      test('GET /v1/members/me returns the signed-in member profile, never the hash', async () => {
        const { token, profile } = await signUpAndIn();
        const response = await backend.request('GET', '/v1/members/me', { token });
        assert.equal(response.status, 200);
        assert.deepEqual(response.body, profile);
        assertNoPasswordHash(response);
      });

      test('security headers are set and X-Powered-By is not, on success and on error', async () => {
        const { token } = await signUpAndIn();
        for (const response of [
          await backend.request('GET', '/v1/members/me', { token }),
          await backend.request('GET', '/v1/members/me'),
          await backend.request('GET', '/v1/nothing-here'),
        ]) {
          assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
          assert.equal(response.headers.get('x-powered-by'), null);
          assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
          assert.ok(response.headers.get('x-frame-options'));
          assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
        }
      });
    });

    describe('who may not', () => {
      test('an admin session on GET /v1/members/me is 403 forbidden', async () => {
        const email = uniqueEmail();
        await registerAccount(
          backend.deps,
          { email, password: PASSWORD, givenName: 'Ada', familyName: 'Admin', phoneNumber: null, address: null },
          'admin',
        );
        const session = await backend.request('POST', '/v1/sessions', { body: { email, password: PASSWORD } });
        assert.equal(session.status, 201);
        assert.equal(session.body.role, 'admin');
        const response = await backend.request('GET', '/v1/members/me', { token: session.body.token });
        assertProblem(response, 403, 'forbidden');
      });
    });
  });
}
