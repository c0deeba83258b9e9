import { ClubpassError } from '@clubpass/shared';
import { type Request, type Response, Router } from 'express';
import {
  createAffiliateAudited,
  issueApiKeyAudited,
  revokeApiKeyAudited,
  updateAffiliateAudited,
} from '../../domain/admin/audited-actions.js';
import type { NewApiKey } from '../../domain/affiliates/issue-api-key.js';
import { notFoundError } from '../../domain/affiliates/not-found.js';
import type { AppDeps } from '../../http/app-deps.js';
import type { Affiliate } from '../../store/affiliate-store.js';
import {
  AFFILIATE_LABELS,
  type AffiliateFormValues,
  affiliateDomainErrors,
  affiliateFormFrom,
  affiliateFormValues,
  parseAffiliateForm,
} from '../forms/affiliate-form.js';
import { actorOf, pageRequest, pager, param } from '../page-helpers.js';
import { type FieldErrors, renderPage } from '../render.js';

const EMPTY_FORM: AffiliateFormValues = { name: '', origins: '', redeem_url: '', contact_email: '' };

/** Whether a domain error is one the form can show beside its fields. */
function isFormError(error: unknown): error is ClubpassError {
  return error instanceof ClubpassError && (error.code === 'invalid_request' || error.code === 'conflict');
}

/**
 * Affiliates: list, create (with the first API key, shown once), edit (name, origins, redeem URL,
 * contact), and API keys (create, shown once; revoke). Each change goes through the audited
 * domain actions, exactly as the JSON admin API does.
 */
export function affiliatePages(deps: AppDeps): Router {
  const router = Router();

  function showForm(
    req: Request,
    res: Response,
    values: AffiliateFormValues,
    errors: FieldErrors,
    affiliate: Affiliate | null,
    status = 200,
  ) {
    renderPage(
      req,
      res,
      '/affiliate-form',
      {
        title: affiliate ? `Edit ${affiliate.name}` : 'New affiliate',
        nav: 'affiliates',
        affiliate,
        values,
        errors,
        labels: AFFILIATE_LABELS,
      },
      { status },
    );
  }

  /** The one page that shows a new API key: never cached, and the URL is replaced at once. */
  function showNewKey(req: Request, res: Response, affiliate: Affiliate, apiKey: NewApiKey, created: boolean) {
    renderPage(req, res, '/api-key', {
      title: 'Copy the new API key',
      nav: 'affiliates',
      affiliate,
      apiKey: apiKey.secret,
      keyId: apiKey.key.id,
      created,
      replaceUrl: `/console/affiliates/${affiliate.id}`,
    });
  }

  async function findAffiliate(id: string): Promise<Affiliate> {
    const affiliate = await deps.store.affiliates.findById(id);
    if (affiliate === null) throw notFoundError('affiliate', id);
    return affiliate;
  }

  router.get('/console/affiliates', async (req, res) => {
    const page = await deps.store.affiliates.list(pageRequest(req));
    renderPage(req, res, '/affiliates', {
      title: 'Affiliates',
      nav: 'affiliates',
      affiliates: page.items,
      pager: pager('/console/affiliates', {}, page, req),
    });
  });

  router.get('/console/affiliates/new', (req, res) => {
    showForm(req, res, EMPTY_FORM, {}, null);
  });

  router.post('/console/affiliates', async (req, res) => {
    const values = affiliateFormValues(req.body);
    const parsed = parseAffiliateForm(values);
    if ('errors' in parsed) return showForm(req, res, values, parsed.errors, null, 400);
    try {
      const { affiliate, apiKey } = await createAffiliateAudited(deps, actorOf(req, res), parsed.draft);
      showNewKey(req, res, affiliate, apiKey, true);
    } catch (error) {
      if (!isFormError(error)) throw error;
      showForm(req, res, values, affiliateDomainErrors(error, parsed.draft), null, error.status);
    }
  });

  router.get('/console/affiliates/:id', async (req, res) => {
    const affiliate = await findAffiliate(param(req, 'id'));
    const [keys, benefits] = await Promise.all([
      deps.store.affiliates.listApiKeys(affiliate.id),
      deps.store.benefits.list({ limit: 100, after: null }, { affiliateId: affiliate.id }),
    ]);
    renderPage(req, res, '/affiliate', {
      title: affiliate.name,
      nav: 'affiliates',
      affiliate,
      keys,
      benefits: benefits.items,
      moreBenefits: benefits.nextCursor !== null,
    });
  });

  router.get('/console/affiliates/:id/edit', async (req, res) => {
    const affiliate = await findAffiliate(param(req, 'id'));
    showForm(req, res, affiliateFormFrom(affiliate), {}, affiliate);
  });

  router.post('/console/affiliates/:id', async (req, res) => {
    const affiliate = await findAffiliate(param(req, 'id'));
    const values = affiliateFormValues(req.body);
    const parsed = parseAffiliateForm(values);
    if ('errors' in parsed) return showForm(req, res, values, parsed.errors, affiliate, 400);
    try {
      await updateAffiliateAudited(deps, actorOf(req, res), affiliate.id, parsed.draft);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return showForm(req, res, values, affiliateDomainErrors(error, parsed.draft), affiliate, error.status);
    }
    res.redirect(303, `/console/affiliates/${affiliate.id}?done=affiliate-updated`);
  });

  router.post('/console/affiliates/:id/api-keys', async (req, res) => {
    const affiliate = await findAffiliate(param(req, 'id'));
    const apiKey = await issueApiKeyAudited(deps, actorOf(req, res), affiliate.id);
    showNewKey(req, res, affiliate, apiKey, false);
  });

  router.post('/console/affiliates/:id/api-keys/:keyId/revoke', async (req, res) => {
    const affiliate = await findAffiliate(param(req, 'id'));
    await revokeApiKeyAudited(deps, actorOf(req, res), affiliate.id, param(req, 'keyId'));
    res.redirect(303, `/console/affiliates/${affiliate.id}?done=key-revoked`);
  });

  return router;
}
