import { readFileSync } from 'node:fs';
import { Router } from 'express';
import type { AppDeps } from '../app-deps.js';

/** The snippet's source, read once at start: it is static. */
const SNIPPET = readFileSync(new URL('../../snippet/clubpass-snippet.js', import.meta.url), 'utf8');

/**
 * `GET /snippet/v1.js` (PROTOCOL.md §9): the script affiliates embed. Cross-origin by design,
 * cacheable for an hour; the content never depends on the request.
 */
export function snippetRoutes(_deps: AppDeps): Router {
  const router = Router();
  router.get('/snippet/v1.js', (_req, res) => {
    res
      .type('text/javascript; charset=utf-8')
      .set('Cache-Control', 'public, max-age=3600')
      .set('Cross-Origin-Resource-Policy', 'cross-origin')
      .set('Access-Control-Allow-Origin', '*')
      .send(SNIPPET);
  });
  return router;
}
