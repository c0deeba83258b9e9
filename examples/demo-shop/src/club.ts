import { type Clock, importJwks, type Money, type TrustedKeySet } from '@clubpass/shared';

/** The club answered with a problem document (PROTOCOL.md §1): `code` says what went wrong. */
export class ClubProblem extends Error {
  override readonly name = 'ClubProblem';
  constructor(
    readonly code: string,
    readonly status: number,
    readonly detail: string | undefined,
  ) {
    super(`${code}: ${detail ?? status}`);
  }

  /**
   * Whether the club may not have finished the request, so the same request (with the same
   * Idempotency-Key) should be sent again rather than a new one.
   */
  get retryable(): boolean {
    return this.status >= 500 || this.code === 'conflict' || this.code === 'rate_limited';
  }
}

/** The club could not be reached or gave no usable answer. */
export class ClubUnreachable extends Error {
  override readonly name = 'ClubUnreachable';
}

/** The 201 body of `POST /v1/redemptions` (PROTOCOL.md §7). */
export interface Redemption {
  id: string;
  credential_id: string;
  benefit: { id: string; title: string };
  disclosed: Record<string, unknown>;
  billing: { amount: number; currency: string; billing_ref: string };
  redeemed_at: string;
  receipt: string;
}

/** The 201 body of `POST /v1/invoices`: the club's reconciliation of our lines. */
export interface InvoiceAnswer {
  id: string;
  status: string;
  accepted: string[];
  rejected: { redemption_id: string; reason: string }[];
  total: { amount: number; currency: string | null };
}

export interface ClubClientOptions {
  clubUrl: string;
  apiKey: string;
  clock: Clock;
  fetch?: typeof fetch;
}

const TIMEOUT_MS = 10_000;
/** PROTOCOL.md §2 caps the club's max-age at 300 s; we never cache longer, whatever it says. */
const MAX_CACHE_SECONDS = 300;
/** A presentation naming a key we do not know forces a refresh, but no more often than this. */
const MIN_REFRESH_SECONDS = 30;

function maxAge(headers: Headers): number {
  const match = /max-age=(\d+)/.exec(headers.get('cache-control') ?? '');
  return Math.min(match ? Number(match[1]) : 0, MAX_CACHE_SECONDS);
}

/**
 * Everything this shop asks of the club. The API key is added here and goes nowhere else.
 * Discovery and keys are fetched from `clubUrl` and cached as long as the club's Cache-Control
 * allows, so offline verification costs no request to the club.
 */
export function createClubClient(options: ClubClientOptions) {
  const { clubUrl, apiKey, clock } = options;
  const doFetch = options.fetch ?? fetch;

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    let response: Response;
    try {
      response = await doFetch(`${clubUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(path.startsWith('/v1/') ? { authorization: `Bearer ${apiKey}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new ClubUnreachable(`the club at ${clubUrl} did not answer ${method} ${path}`, { cause: error });
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      throw new ClubUnreachable(`the club answered ${method} ${path} with something that is not JSON`);
    }
    if (!response.ok) {
      const problem = (json ?? {}) as { code?: unknown; detail?: unknown };
      throw new ClubProblem(
        typeof problem.code === 'string' ? problem.code : 'internal_error',
        response.status,
        typeof problem.detail === 'string' ? problem.detail : undefined,
      );
    }
    return { json: json as Record<string, unknown>, headers: response.headers };
  }

  let trust: { issuer: string; keys: TrustedKeySet; fetchedAt: number; expiresAt: number } | null = null;

  async function loadTrust() {
    const discovery = await call('GET', '/.well-known/clubpass');
    const jwks = await call('GET', '/.well-known/jwks.json');
    if (typeof discovery.json.issuer !== 'string') throw new ClubUnreachable('the club discovery has no issuer');
    const now = clock.now().getTime();
    trust = {
      // The issuer is what the club says it is in discovery; clubUrl is only where we reach it
      // (behind a proxy, or in tests, the two differ).
      issuer: discovery.json.issuer,
      keys: await importJwks(jwks.json),
      fetchedAt: now,
      expiresAt: now + Math.min(maxAge(discovery.headers), maxAge(jwks.headers)) * 1000,
    };
    return trust;
  }

  return {
    /** The club's issuer and signing keys, for offline verification. */
    async trust(options: { refresh?: boolean } = {}) {
      const now = clock.now().getTime();
      const stale = trust === null || now >= trust.expiresAt;
      const refresh = options.refresh === true && trust !== null && now - trust.fetchedAt >= MIN_REFRESH_SECONDS * 1000;
      return stale || refresh ? loadTrust() : (trust as NonNullable<typeof trust>);
    },

    async createNonce(): Promise<{ nonce: string; expires_at: string }> {
      return (await call('POST', '/v1/nonces')).json as { nonce: string; expires_at: string };
    },

    async verify(body: { presentation: string; nonce: string; origin: string }) {
      return (await call('POST', '/v1/verifications', body)).json as {
        credential_id: string;
        benefit: { id: string; kind: string; title: string; terms: Record<string, unknown> };
        disclosed: Record<string, unknown>;
        pin_required: boolean;
      };
    },

    async redeem(
      body: {
        presentation: string;
        nonce?: string;
        origin?: string;
        pin?: string;
        order_ref: string;
        order_total: Money;
      },
      idempotencyKey: string,
    ): Promise<Redemption> {
      return (await call('POST', '/v1/redemptions', body, { 'idempotency-key': idempotencyKey }))
        .json as unknown as Redemption;
    },

    async submitInvoice(body: {
      period_start: string;
      period_end: string;
      lines: { redemption_id: string; amount: Money }[];
    }): Promise<InvoiceAnswer> {
      return (await call('POST', '/v1/invoices', body)).json as unknown as InvoiceAnswer;
    },
  };
}

export type ClubClient = ReturnType<typeof createClubClient>;
