import { buildJwks } from '@clubpass/shared';
import { Router } from 'express';
import { rotateSigningKeyAudited } from '../../domain/admin/audited-actions.js';
import type { AppDeps } from '../app-deps.js';
import { auditActor, requireAccount } from '../auth.js';
import { presentSigningKey } from '../presenters/present-signing-key.js';

/**
 * The club's signing keys (PROTOCOL.md §8): `POST /v1/admin/keys/rotate` → 201 the new key's
 * public JWK, and `GET /v1/admin/keys` to see every key's lifecycle. After a rotation the old
 * key stays in the JWKS until every credential it signed has expired, so nothing it signed
 * stops verifying. Admin sessions only.
 */
export function adminKeyRoutes(deps: AppDeps): Router {
  const router = Router();
  const admin = requireAccount(deps, ['admin']);

  router.post('/v1/admin/keys/rotate', admin, async (req, res) => {
    const jwk = await rotateSigningKeyAudited(deps, auditActor(req, res));
    // Through buildJwks, as the JWKS is served: public members, kid, alg and use only.
    const [published] = (await buildJwks([jwk])).keys;
    res.status(201).json(published);
  });

  router.get('/v1/admin/keys', admin, async (_req, res) => {
    const keys = await deps.store.signingKeys.listAll();
    const now = deps.clock.now();
    // The club has a handful of keys (one per rotation): one page, in the list envelope.
    res.json({ data: keys.map((k) => presentSigningKey(k, now)), next_cursor: null });
  });

  return router;
}
