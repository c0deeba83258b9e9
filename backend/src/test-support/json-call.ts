/**
 * One JSON request to a club at `base` with a bearer token: for tests and benchmarks that talk to
 * real `serve` processes rather than an in-process backend.
 *
 * A network failure (no HTTP answer at all, e.g. a keep-alive socket the server closed just as the
 * request went out) is retried twice, as a real client would: every call made this way is safe to
 * repeat (redemptions carry an Idempotency-Key, issuance for the same holder key is idempotent).
 * HTTP error answers are returned, never retried.
 */
export async function jsonCall(
  base: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      if (attempt >= 2) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
      continue;
    }
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text) };
  }
}
