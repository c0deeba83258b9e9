import { Router } from 'express';
import { rotateSigningKeyAudited } from '../../domain/admin/audited-actions.js';
import type { AppDeps } from '../../http/app-deps.js';
import { presentSigningKey } from '../../http/presenters/present-signing-key.js';
import { actorOf } from '../page-helpers.js';
import { renderPage } from '../render.js';

/**
 * The club's signing keys: when each was created and retired, and until when a retired key stays
 * in the JWKS; rotation after a confirmation page.
 */
export function keyPages(deps: AppDeps): Router {
  const router = Router();

  router.get('/console/keys', async (req, res) => {
    const now = deps.clock.now();
    const keys = (await deps.store.signingKeys.listAll()).map((k) => ({
      ...presentSigningKey(k, now),
      createdAt: k.createdAt,
      retiredAt: k.retiredAt,
      publishUntil: k.publishUntil,
      state: k.retiredAt === null ? 'current' : presentSigningKey(k, now).published ? 'published' : 'retired',
    }));
    renderPage(req, res, '/keys', { title: 'Signing keys', nav: 'keys', keys });
  });

  router.get('/console/keys/rotate', async (req, res) => {
    const current = await deps.store.signingKeys.findCurrent();
    renderPage(req, res, '/key-rotate', { title: 'Rotate the signing key', nav: 'keys', current });
  });

  router.post('/console/keys/rotate', async (req, res) => {
    await rotateSigningKeyAudited(deps, actorOf(req, res));
    res.redirect(303, '/console/keys?done=key-rotated');
  });

  return router;
}
