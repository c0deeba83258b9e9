import assert from 'node:assert/strict';

/** The parts of a test-backend response a problem check looks at. */
export interface ResponseLike {
  status: number;
  body: any;
  headers: Headers;
}

/**
 * Asserts an RFC 9457 problem document (PROTOCOL.md §1): the HTTP status, Content-Type
 * application/problem+json, and `code`, `status` and `title` members. Returns the body.
 */
export function assertProblem(response: ResponseLike, status: number, code: string): any {
  assert.equal(response.status, status, `expected ${status} ${code}, got ${JSON.stringify(response.body)}`);
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json(;|$)/);
  assert.equal(response.body.code, code);
  assert.equal(response.body.status, status);
  assert.equal(typeof response.body.title, 'string');
  assert.ok(response.body.title.length > 0, 'a problem has a title');
  return response.body;
}

/** The `path`s of an invalid_request problem's `errors` array. */
export function errorPaths(response: ResponseLike): string[] {
  assert.ok(Array.isArray(response.body.errors), `no errors array in ${JSON.stringify(response.body)}`);
  return response.body.errors.map((e: { path: string; message: string }) => {
    assert.equal(typeof e.message, 'string');
    assert.ok(e.message.length > 0);
    return e.path;
  });
}

/** Fails when a response body carries anything that looks like a stored password hash. */
export function assertNoPasswordHash(response: ResponseLike): void {
  const text = JSON.stringify(response.body);
  assert.doesNotMatch(text, /password_hash|passwordHash|scrypt\$/i);
}
