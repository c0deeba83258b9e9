import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldErrorMap, networkProblem, parseRetryAfter, problemFromResponse, retryText } from './problem.js';

const NOW = new Date('2026-06-01T12:00:00Z');

describe('problemFromResponse', () => {
  it('keeps the club’s detail and per-field errors', () => {
    const p = problemFromResponse(
      400,
      {
        type: 'urn:clubpass:error:invalid_request',
        code: 'invalid_request',
        status: 400,
        title: 'The request is not valid',
        detail: 'the body is not valid',
        errors: [
          { path: 'email', message: 'enter an e-mail address like name@example.com' },
          { path: 'address.country', message: 'use a two-letter country code such as DE' },
          { path: 'email', message: 'second message for the same field' },
          { nonsense: true },
        ],
      },
      null,
      NOW,
    );
    assert.equal(p.code, 'invalid_request');
    assert.equal(p.detail, 'the body is not valid');
    assert.equal(p.fieldErrors.length, 3);
    const map = fieldErrorMap(p);
    assert.equal(map.get('email'), 'enter an e-mail address like name@example.com');
    assert.equal(map.get('address.country'), 'use a two-letter country code such as DE');
  });

  it('gives friendly titles and the retry delay for a rate limit', () => {
    const p = problemFromResponse(429, { code: 'rate_limited', detail: 'too many failed logins' }, '120', NOW);
    assert.equal(p.title, 'Too many attempts.');
    assert.equal(p.retryAfterSeconds, 120);
    assert.equal(retryText(p.retryAfterSeconds), 'Try again in 2 minutes.');
    assert.equal(retryText(1), 'Try again in 1 second.');
    assert.equal(retryText(null), '');
  });

  it('copes with bodies that are not problem documents', () => {
    const p = problemFromResponse(502, null, null, NOW);
    assert.equal(p.code, 'internal_error');
    assert.equal(problemFromResponse(418, 'teapot', null, NOW).code, 'http_418');
    assert.equal(
      problemFromResponse(409, { code: 'limit_reached', title: 'x' }, null, NOW).title,
      'You have reached the limit for this benefit.',
    );
    assert.equal(
      problemFromResponse(409, { code: 'something_new', title: 'Something new' }, null, NOW).title,
      'Something new',
    );
  });

  it('parses Retry-After as seconds or a date', () => {
    assert.equal(parseRetryAfter('30', NOW), 30);
    assert.equal(parseRetryAfter('Mon, 01 Jun 2026 12:01:00 GMT', NOW), 60);
    assert.equal(parseRetryAfter('soon', NOW), null);
    assert.equal(parseRetryAfter(null, NOW), null);
  });

  it('names the club address when it cannot be reached', () => {
    assert.match(networkProblem('http://127.0.0.1:8080').detail, /127\.0\.0\.1:8080/);
  });
});
