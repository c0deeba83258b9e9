/**
 * The club's member API (PROTOCOL.md §6) as the background calls it. `fetch` is injected, so the
 * client is tested under Node with a fake; in the extension it is the service worker's fetch,
 * which may reach the club because the extension holds host permission for it.
 */
import type { RpcResult, SignUpInput, UiProblem } from './messages.js';
import { internalProblem, networkProblem, problemFromResponse } from './problem.js';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface Session {
  token: string;
  expiresAt: string;
  role: string;
}

export interface Member {
  id: string;
  membership_number: string;
  email: string;
  given_name: string;
  family_name: string;
}

export interface CatalogEntry {
  id: string;
  affiliate: { id: string; name: string; origins: string[] };
  kind: string;
  title: string;
  description: string | null;
  terms: Record<string, unknown>;
  valid_until: string | null;
  requires: string[];
}

/** Longest a catalog is followed through `next_cursor` (pages of 200). */
const MAX_CATALOG_PAGES = 10;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class ClubClient {
  constructor(
    readonly baseUrl: string,
    private readonly fetchImpl: FetchLike,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async call<T>(
    method: string,
    path: string,
    options: { token?: string | null; body?: unknown; text?: boolean; cache?: RequestCache } = {},
  ): Promise<RpcResult<T>> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers,
        credentials: 'omit',
        redirect: 'error',
        ...(options.cache ? { cache: options.cache } : {}),
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
    } catch {
      return { ok: false, problem: networkProblem(this.baseUrl) };
    }
    if (response.status === 204) return { ok: true, value: undefined as T };
    let body: unknown = null;
    try {
      body = options.text && response.ok ? await response.text() : await response.json();
    } catch {
      body = null;
    }
    if (!response.ok) {
      return {
        ok: false,
        problem: problemFromResponse(response.status, body, response.headers.get('retry-after'), this.now()),
      };
    }
    if (body === null) return { ok: false, problem: internalProblem(new Error(`the club sent no JSON for ${path}`)) };
    return { ok: true, value: body as T };
  }

  async signIn(email: string, password: string): Promise<RpcResult<Session>> {
    const result = await this.call<Record<string, unknown>>('POST', '/v1/sessions', { body: { email, password } });
    if (!result.ok) return result;
    const { token, expires_at, role } = result.value;
    if (typeof token !== 'string' || typeof expires_at !== 'string') {
      return { ok: false, problem: internalProblem(new Error('the club answered without a session token')) };
    }
    return { ok: true, value: { token, expiresAt: expires_at, role: typeof role === 'string' ? role : 'member' } };
  }

  signUp(input: SignUpInput): Promise<RpcResult<Member>> {
    return this.call<Member>('POST', '/v1/members', { body: input });
  }

  signOut(token: string): Promise<RpcResult<void>> {
    return this.call<void>('DELETE', '/v1/sessions/current', { token });
  }

  me(token: string): Promise<RpcResult<Member>> {
    return this.call<Member>('GET', '/v1/members/me', { token });
  }

  /** Every active benefit, following `next_cursor` (bounded). */
  async catalog(): Promise<RpcResult<CatalogEntry[]>> {
    const entries: CatalogEntry[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < MAX_CATALOG_PAGES; page++) {
      const query: string = cursor === null ? '?limit=200' : `?limit=200&cursor=${encodeURIComponent(cursor)}`;
      const result: RpcResult<unknown> = await this.call<unknown>('GET', `/v1/catalog${query}`);
      if (!result.ok) return result;
      const body = result.value;
      if (!isRecord(body) || !Array.isArray(body.data)) {
        return { ok: false, problem: internalProblem(new Error('the catalog is not a list')) };
      }
      entries.push(...body.data.filter(isCatalogEntry));
      cursor = typeof body.next_cursor === 'string' ? body.next_cursor : null;
      if (cursor === null) break;
    }
    return { ok: true, value: entries };
  }

  issueCredential(token: string, benefitId: string, holderJwk: unknown): Promise<RpcResult<unknown>> {
    return this.call<unknown>('POST', '/v1/credentials', {
      token,
      body: { benefit_id: benefitId, holder_jwk: holderJwk },
    });
  }

  /** The member's credentials as the club sees them (first pages, bounded). */
  async listCredentials(token: string): Promise<RpcResult<{ data: unknown[] }>> {
    const data: unknown[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < MAX_CATALOG_PAGES; page++) {
      const query: string = cursor === null ? '?limit=200' : `?limit=200&cursor=${encodeURIComponent(cursor)}`;
      const result: RpcResult<unknown> = await this.call<unknown>('GET', `/v1/credentials${query}`, { token });
      if (!result.ok) return result;
      const body = result.value;
      if (!isRecord(body) || !Array.isArray(body.data)) {
        return { ok: false, problem: internalProblem(new Error('the credential list is not a list')) };
      }
      data.push(...body.data);
      cursor = typeof body.next_cursor === 'string' ? body.next_cursor : null;
      if (cursor === null) break;
    }
    return { ok: true, value: { data } };
  }

  discovery(cache?: RequestCache): Promise<RpcResult<unknown>> {
    return this.call<unknown>('GET', '/.well-known/clubpass', cache ? { cache } : {});
  }

  jwks(cache?: RequestCache): Promise<RpcResult<unknown>> {
    return this.call<unknown>('GET', '/.well-known/jwks.json', cache ? { cache } : {});
  }

  directory(cache?: RequestCache): Promise<RpcResult<string>> {
    return this.call<string>('GET', '/v1/directory', { text: true, ...(cache ? { cache } : {}) });
  }
}

function isCatalogEntry(value: unknown): value is CatalogEntry {
  if (!isRecord(value)) return false;
  if (typeof value.id !== 'string' || typeof value.title !== 'string' || !isRecord(value.affiliate)) return false;
  const a = value.affiliate;
  if (typeof a.id !== 'string' || typeof a.name !== 'string') return false;
  if (!Array.isArray(a.origins)) a.origins = [];
  if (!Array.isArray(value.requires)) value.requires = [];
  if (!isRecord(value.terms)) value.terms = {};
  return true;
}

/** Unwraps a result or throws its problem (for code paths where a failure aborts the whole step). */
export class ProblemError extends Error {
  constructor(readonly problem: UiProblem) {
    super(problem.detail || problem.title);
  }
}

export function unwrap<T>(result: RpcResult<T>): T {
  if (!result.ok) throw new ProblemError(result.problem);
  return result.value;
}
