import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClubClient, type FetchLike } from './club-client.js';

interface Call {
  url: string;
  init: RequestInit | undefined;
}

function fakeFetch(responses: Response[]): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    fetch: async (url, init) => {
      calls.push({ url, init });
      const next = responses.shift();
      if (!next) throw new TypeError('Failed to fetch');
      return next;
    },
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('ClubClient', () => {
  it('signs in and sends no cookies', async () => {
    const fake = fakeFetch([json(201, { token: 'cps_abc', expires_at: '2026-06-02T00:00:00Z', role: 'member' })]);
    const result = await new ClubClient('http://club.test', fake.fetch).signIn('a@b.c', 'password1');
    assert.deepEqual(result, {
      ok: true,
      value: { token: 'cps_abc', expiresAt: '2026-06-02T00:00:00Z', role: 'member' },
    });
    assert.equal(fake.calls[0]?.url, 'http://club.test/v1/sessions');
    assert.equal(fake.calls[0]?.init?.credentials, 'omit');
    assert.equal(fake.calls[0]?.init?.method, 'POST');
    assert.deepEqual(JSON.parse(String(fake.calls[0]?.init?.body)), { email: 'a@b.c', password: 'password1' });
  });

  it('sends the bearer token on member calls and the holder key with issuance', async () => {
    const fake = fakeFetch([json(201, { id: 'crd_1', credential: 'x~' }), new Response(null, { status: 204 })]);
    const client = new ClubClient('http://club.test', fake.fetch);
    await client.issueCredential('cps_tok', 'ben_1', { kty: 'OKP', crv: 'Ed25519', x: 'abc' });
    const headers = fake.calls[0]?.init?.headers as Record<string, string>;
    assert.equal(headers.authorization, 'Bearer cps_tok');
    assert.deepEqual(JSON.parse(String(fake.calls[0]?.init?.body)), {
      benefit_id: 'ben_1',
      holder_jwk: { kty: 'OKP', crv: 'Ed25519', x: 'abc' },
    });
    assert.deepEqual(await client.signOut('cps_tok'), { ok: true, value: undefined });
    assert.equal(fake.calls[1]?.init?.method, 'DELETE');
    assert.equal(fake.calls[1]?.url, 'http://club.test/v1/sessions/current');
  });

  it('turns problem documents and network failures into problems', async () => {
    const fake = fakeFetch([
      json(401, { code: 'invalid_login', title: 'invalid login', detail: 'wrong e-mail or password' }),
      json(429, { code: 'rate_limited', detail: 'slow down' }, { 'retry-after': '90' }),
    ]);
    const client = new ClubClient('http://club.test', fake.fetch);
    const wrong = await client.signIn('a@b.c', 'x');
    assert.ok(!wrong.ok);
    assert.equal(wrong.problem.code, 'invalid_login');
    assert.equal(wrong.problem.detail, 'wrong e-mail or password');
    const limited = await client.signIn('a@b.c', 'x');
    assert.ok(!limited.ok && limited.problem.retryAfterSeconds === 90);
    const offline = await client.me('tok');
    assert.ok(!offline.ok && offline.problem.code === 'network_error');
  });

  it('follows catalog pages and keeps well-formed entries', async () => {
    const entry = (id: string) => ({
      id,
      affiliate: { id: 'aff_1', name: 'Shop', origins: ['https://shop.example'] },
      kind: 'prize',
      title: id,
      description: null,
      terms: {},
      valid_until: null,
      requires: ['email'],
    });
    const fake = fakeFetch([
      json(200, { data: [entry('ben_1'), { bad: true }], next_cursor: 'c2' }),
      json(200, { data: [entry('ben_2')], next_cursor: null }),
    ]);
    const result = await new ClubClient('http://club.test', fake.fetch).catalog();
    assert.ok(result.ok);
    assert.deepEqual(
      result.value.map((e) => e.id),
      ['ben_1', 'ben_2'],
    );
    assert.equal(fake.calls[1]?.url, 'http://club.test/v1/catalog?limit=200&cursor=c2');
  });

  it('reads the directory as text', async () => {
    const fake = fakeFetch([new Response('a.b.c', { status: 200, headers: { 'content-type': 'application/jwt' } })]);
    assert.deepEqual(await new ClubClient('http://club.test', fake.fetch).directory(), { ok: true, value: 'a.b.c' });
  });
});
