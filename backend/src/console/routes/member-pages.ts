import { Router } from 'express';
import { notFoundError } from '../../domain/affiliates/not-found.js';
import type { AppDeps } from '../../http/app-deps.js';
import { presentCredentialRecord } from '../../http/presenters/present-credential-record.js';
import { pageRequest, pager, param, queryText } from '../page-helpers.js';
import { renderPage } from '../render.js';

/**
 * Members: search by e-mail address (or its beginning) or membership number, newest first
 * (the `accounts_role_created` index), and one member's profile with their credentials.
 */
export function memberPages(deps: AppDeps): Router {
  const router = Router();

  router.get('/console/members', async (req, res) => {
    const q = queryText(req, 'q', 254);
    const page = await deps.store.accounts.list('member', pageRequest(req), q === '' ? undefined : q);
    renderPage(req, res, '/members', {
      title: 'Members',
      nav: 'members',
      q,
      members: page.items,
      pager: pager('/console/members', { q }, page, req),
    });
  });

  router.get('/console/members/:id', async (req, res) => {
    const id = param(req, 'id');
    const member = await deps.store.accounts.findById(id);
    if (member === null || member.role !== 'member') throw notFoundError('member', id);
    const page = await deps.store.adminCredentials.list({ memberId: id }, pageRequest(req));
    const now = deps.clock.now();
    const affiliates = new Map((await deps.store.affiliates.listAll()).map((a) => [a.id, a.name]));
    renderPage(req, res, '/member', {
      title: `${member.givenName} ${member.familyName}`,
      nav: 'members',
      member,
      credentials: page.items.map((c) => ({
        ...c,
        shownStatus: presentCredentialRecord(c, now).status,
        affiliateName: affiliates.get(c.affiliateId) ?? c.affiliateId,
      })),
      pager: pager(`/console/members/${id}`, {}, page, req),
    });
  });

  return router;
}
