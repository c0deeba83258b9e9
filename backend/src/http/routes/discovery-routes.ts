import { buildJwks } from '@clubpass/shared';
import { Router } from 'express';
import { discoveryDocument } from '../../domain/directory/discovery-document.js';
import { DIRECTORY_LIFETIME_SECONDS, signDirectory } from '../../domain/directory/sign-directory.js';
import type { AppDeps } from '../app-deps.js';

/**
 * How long clients may cache the key set and discovery document. PROTOCOL.md §2 caps it at 300 s:
 * a verifier must see a rotated-in key within five minutes.
 */
export const PUBLIC_MAX_AGE_SECONDS = 300;

/**
 * Public discovery (PROTOCOL.md §2, §9): `GET /.well-known/clubpass`, `GET /.well-known/jwks.json`
 * and the signed partner directory `GET /v1/directory`.
 */
export function discoveryRoutes(deps: AppDeps): Router {
  const router = Router();
  const document = discoveryDocument(deps.issuer);

  router.get('/.well-known/clubpass', (_req, res) => {
    res.set('Cache-Control', `public, max-age=${PUBLIC_MAX_AGE_SECONDS}`).json(document);
  });

  router.get('/.well-known/jwks.json', async (_req, res) => {
    // buildJwks keeps public members only, so no private member can reach the wire even if one
    // were ever stored beside a public key.
    const jwks = await buildJwks(await deps.keyRing.published());
    res.set('Cache-Control', `public, max-age=${PUBLIC_MAX_AGE_SECONDS}`).json(jwks);
  });

  router.get('/v1/directory', async (_req, res) => {
    const { token } = await signDirectory(deps);
    // Never cached longer than the keys are, and far less than the directory's own lifetime.
    const maxAge = Math.min(PUBLIC_MAX_AGE_SECONDS, DIRECTORY_LIFETIME_SECONDS);
    res.set('Cache-Control', `public, max-age=${maxAge}`).type('application/jwt').send(token);
  });

  return router;
}
