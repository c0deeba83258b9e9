import { ClubpassError } from '@clubpass/shared';
import { type Request, Router } from 'express';
import { revokeCredentialAudited } from '../../domain/admin/audited-actions.js';
import type { AppDeps } from '../../http/app-deps.js';
import { presentCredentialRecord } from '../../http/presenters/present-credential-record.js';
import type { CredentialFilter, CredentialRecord } from '../../store/admin-credential-store.js';
import { actorOf, pageRequest, pager, param, queryText } from '../page-helpers.js';
import { renderPage } from '../render.js';

/** States a credential can be revoked from (the store's rule: not redeemed, not revoked yet). */
const REVOCABLE = new Set(['issued', 'locked']);

/**
 * Credentials: find by credential id (or `jti`), by member (id, e-mail or membership number) or
 * by benefit id; one credential's states; revoke it after a confirmation page.
 */
export function credentialPages(deps: AppDeps): Router {
  const router = Router();

  /** What the search box means, as a store filter; null when it names no member. */
  async function filterFor(q: string): Promise<{ filter: CredentialFilter; what: string } | null> {
    if (q === '') return { filter: {}, what: '' };
    if (q.startsWith('mem_')) return { filter: { memberId: q }, what: 'member' };
    if (q.startsWith('ben_')) return { filter: { benefitId: q }, what: 'benefit' };
    if (q.includes('@')) {
      const member = await deps.store.accounts.findByEmail(q.toLowerCase());
      return member?.role === 'member' ? { filter: { memberId: member.id }, what: 'member' } : null;
    }
    if (/^CP-\d{10}$/i.test(q)) {
      const member = await deps.store.accounts.findByMembershipNumber(q.toUpperCase());
      return member ? { filter: { memberId: member.id }, what: 'member' } : null;
    }
    return { filter: { id: q }, what: 'credential' };
  }

  async function findRecord(req: Request): Promise<CredentialRecord> {
    const record = await deps.store.adminCredentials.find(param(req, 'id'));
    if (record === null) throw new ClubpassError('not_found', 'no such credential');
    return record;
  }

  async function affiliateName(id: string): Promise<string> {
    return (await deps.store.affiliates.findById(id))?.name ?? id;
  }

  router.get('/console/credentials', async (req, res) => {
    const q = queryText(req, 'q', 254);
    const found = await filterFor(q);
    const page = found
      ? await deps.store.adminCredentials.list(found.filter, pageRequest(req))
      : { items: [], nextCursor: null };
    const now = deps.clock.now();
    const names = new Map((await deps.store.affiliates.listAll()).map((a) => [a.id, a.name]));
    renderPage(req, res, '/credentials', {
      title: 'Credentials',
      nav: 'credentials',
      q,
      credentials: page.items.map((r) => ({
        ...r,
        shownStatus: presentCredentialRecord(r, now).status,
        affiliateName: names.get(r.affiliateId) ?? r.affiliateId,
      })),
      pager: pager('/console/credentials', { q }, page, req),
    });
  });

  router.get('/console/credentials/:id', async (req, res) => {
    const record = await findRecord(req);
    const shown = presentCredentialRecord(record, deps.clock.now());
    const redemptions = await deps.store.redemptions.list({ credentialId: record.id }, { limit: 20, after: null });
    renderPage(req, res, '/credential', {
      title: `Credential ${record.id}`,
      nav: 'credentials',
      record,
      shownStatus: shown.status,
      revocable: REVOCABLE.has(record.status),
      affiliateName: await affiliateName(record.affiliateId),
      redemptions: redemptions.items,
    });
  });

  router.get('/console/credentials/:id/revoke', async (req, res) => {
    const record = await findRecord(req);
    if (!REVOCABLE.has(record.status)) {
      res.redirect(303, `/console/credentials/${record.id}`);
      return;
    }
    renderPage(req, res, '/credential-revoke', {
      title: 'Revoke credential',
      nav: 'credentials',
      record,
      affiliateName: await affiliateName(record.affiliateId),
    });
  });

  router.post('/console/credentials/:id/revoke', async (req, res) => {
    const record = await findRecord(req);
    await revokeCredentialAudited(deps, actorOf(req, res), record.id);
    res.redirect(303, `/console/credentials/${record.id}?done=credential-revoked`);
  });

  return router;
}
