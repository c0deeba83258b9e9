import { BENEFIT_KINDS, ClubpassError, DISCLOSABLE_CLAIMS } from '@clubpass/shared';
import { type Request, type Response, Router } from 'express';
import { createBenefitAudited, updateBenefitAudited } from '../../domain/admin/audited-actions.js';
import { notFoundError } from '../../domain/affiliates/not-found.js';
import type { AppDeps } from '../../http/app-deps.js';
import type { Benefit } from '../../store/benefit-store.js';
import { humanize } from '../format.js';
import {
  BENEFIT_LABELS,
  type BenefitFormValues,
  benefitDomainErrors,
  benefitFormFrom,
  benefitFormValues,
  emptyBenefitForm,
  parseBenefitForm,
} from '../forms/benefit-form.js';
import { actorOf, pageRequest, pager, param, queryText } from '../page-helpers.js';
import { type FieldErrors, renderPage } from '../render.js';

const KIND_OPTIONS = BENEFIT_KINDS.map((kind) => ({ value: kind, label: humanize(kind) }));
const CLAIM_OPTIONS = DISCLOSABLE_CLAIMS.map((claim) => ({ value: claim, label: humanize(claim) }));

/**
 * Benefits: list (by affiliate, or on offer / withdrawn), create, edit, withdraw and reinstate,
 * and one benefit's issued and redeemed counts against its limits.
 */
export function benefitPages(deps: AppDeps): Router {
  const router = Router();

  async function affiliateOptions() {
    const all = await deps.store.affiliates.listAll();
    return all.map((a) => ({ value: a.id, label: a.name }));
  }

  async function showForm(
    req: Request,
    res: Response,
    values: BenefitFormValues,
    errors: FieldErrors,
    benefit: Benefit | null,
    status = 200,
  ) {
    const affiliates = await affiliateOptions();
    renderPage(
      req,
      res,
      '/benefit-form',
      {
        title: benefit ? `Edit ${benefit.title}` : 'New benefit',
        nav: 'benefits',
        benefit,
        affiliateName: benefit ? (affiliates.find((a) => a.value === benefit.affiliateId)?.label ?? '') : '',
        values,
        errors,
        labels: BENEFIT_LABELS,
        affiliates: [{ value: '', label: 'Choose an affiliate' }, ...affiliates],
        kinds: KIND_OPTIONS,
        claims: CLAIM_OPTIONS,
      },
      { status },
    );
  }

  async function findBenefit(id: string): Promise<Benefit> {
    const benefit = await deps.store.benefits.findById(id);
    if (benefit === null) throw notFoundError('benefit', id);
    return benefit;
  }

  router.get('/console/benefits', async (req, res) => {
    const affiliateId = queryText(req, 'affiliate_id', 100);
    const status = queryText(req, 'status', 20);
    const page = await deps.store.benefits.list(pageRequest(req), {
      ...(affiliateId ? { affiliateId } : {}),
      ...(status === 'active' ? { active: true } : status === 'withdrawn' ? { active: false } : {}),
    });
    const affiliates = await affiliateOptions();
    const names = new Map(affiliates.map((a) => [a.value, a.label]));
    renderPage(req, res, '/benefits', {
      title: 'Benefits',
      nav: 'benefits',
      filters: { affiliate_id: affiliateId, status },
      affiliates: [{ value: '', label: 'All affiliates' }, ...affiliates],
      statuses: [
        { value: '', label: 'On offer and withdrawn' },
        { value: 'active', label: 'On offer' },
        { value: 'withdrawn', label: 'Withdrawn' },
      ],
      hasAffiliates: affiliates.length > 0,
      benefits: page.items.map((b) => ({ ...b, affiliateName: names.get(b.affiliateId) ?? b.affiliateId })),
      pager: pager('/console/benefits', { affiliate_id: affiliateId, status }, page, req),
    });
  });

  router.get('/console/benefits/new', async (req, res) => {
    await showForm(req, res, emptyBenefitForm(queryText(req, 'affiliate_id', 100)), {}, null);
  });

  router.post('/console/benefits', async (req, res) => {
    const values = benefitFormValues(req.body);
    const parsed = parseBenefitForm(values, { active: true });
    const errors: FieldErrors = 'errors' in parsed ? { ...parsed.errors } : {};
    if (values.affiliate_id.trim() === '') errors.affiliate_id = ['choose the affiliate that offers it'];
    if ('errors' in parsed || Object.keys(errors).length > 0) return showForm(req, res, values, errors, null, 400);
    let benefit: Benefit;
    try {
      benefit = await createBenefitAudited(deps, actorOf(req, res), {
        ...parsed.draft,
        affiliateId: parsed.affiliateId,
      });
    } catch (error) {
      if (error instanceof ClubpassError && error.code === 'not_found') {
        return showForm(req, res, values, { affiliate_id: ['choose an existing affiliate'] }, null, 400);
      }
      if (error instanceof ClubpassError && error.code === 'invalid_request') {
        return showForm(req, res, values, benefitDomainErrors(error), null, 400);
      }
      throw error;
    }
    res.redirect(303, `/console/benefits/${benefit.id}?done=benefit-created`);
  });

  router.get('/console/benefits/:id', async (req, res) => {
    const benefit = await findBenefit(param(req, 'id'));
    const [affiliate, redeemed] = await Promise.all([
      deps.store.affiliates.findById(benefit.affiliateId),
      deps.store.benefits.countRedeemed(benefit.id),
    ]);
    renderPage(req, res, '/benefit', {
      title: benefit.title,
      nav: 'benefits',
      benefit,
      affiliate,
      redeemed,
    });
  });

  router.get('/console/benefits/:id/edit', async (req, res) => {
    const benefit = await findBenefit(param(req, 'id'));
    await showForm(req, res, benefitFormFrom(benefit), {}, benefit);
  });

  router.post('/console/benefits/:id', async (req, res) => {
    const benefit = await findBenefit(param(req, 'id'));
    // The affiliate of a benefit never changes: its credentials are bound to it.
    const values = { ...benefitFormValues(req.body), affiliate_id: benefit.affiliateId };
    const parsed = parseBenefitForm(values, { active: benefit.active });
    if ('errors' in parsed) return showForm(req, res, values, parsed.errors, benefit, 400);
    const { active: _active, ...changes } = parsed.draft;
    try {
      await updateBenefitAudited(deps, actorOf(req, res), benefit.id, changes);
    } catch (error) {
      if (error instanceof ClubpassError && error.code === 'invalid_request') {
        return showForm(req, res, values, benefitDomainErrors(error), benefit, 400);
      }
      throw error;
    }
    res.redirect(303, `/console/benefits/${benefit.id}?done=benefit-updated`);
  });

  for (const [action, active, done] of [
    ['withdraw', false, 'benefit-withdrawn'],
    ['reinstate', true, 'benefit-reinstated'],
  ] as const) {
    router.post(`/console/benefits/:id/${action}`, async (req, res) => {
      const benefit = await findBenefit(param(req, 'id'));
      await updateBenefitAudited(deps, actorOf(req, res), benefit.id, { active });
      res.redirect(303, `/console/benefits/${benefit.id}?done=${done}`);
    });
  }

  return router;
}
