import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  createAffiliate,
  createAffiliateWithBenefit,
  issueHeldCredential,
  type RedemptionBody,
  redeemOnce,
  type TestAffiliate,
} from '../../test-support/redemption-fixture.js';
import { signUpMember, type TestMember } from '../../test-support/test-accounts.js';
import { startTestBackend, TEST_NOW, type TestBackend } from '../../test-support/test-backend.js';
import { testDatabaseKinds } from '../../test-support/test-database.js';

const PERIOD = { period_start: '2026-12-01T00:00:00Z', period_end: '2026-12-31T00:00:00Z' };
const RANGE = 'since=2026-12-01T00:00:00Z&until=2026-12-31T00:00:00Z';

for (const kind of testDatabaseKinds()) {
  describe(`admin billing: redemptions, invoices, statements on ${kind}`, () => {
    let backend: TestBackend;
    let shop: TestAffiliate;
    let benefitId: string;
    let adminToken: string;
    let other: TestAffiliate;
    let otherBenefitId: string;
    let member: TestMember;

    before(async () => {
      backend = await startTestBackend(kind);
      ({ affiliate: shop, benefitId, adminToken } = await createAffiliateWithBenefit(backend));
      ({ affiliate: other, benefitId: otherBenefitId } = await createAffiliate(backend, adminToken));
      member = await signUpMember(backend);
    });
    after(() => backend.close());
    // Admin sessions last 12 hours: every test stays within them.
    beforeEach(() => backend.clock.set(TEST_NOW));

    const admin = {
      get: (path: string) => backend.request('GET', path, { token: adminToken }),
      post: (path: string) => backend.request('POST', path, { token: adminToken }),
    };
    const redeemNew = async (affiliate = shop, benefit = benefitId): Promise<RedemptionBody> =>
      redeemOnce(backend, affiliate, await issueHeldCredential(backend, benefit, { member }));
    const submit = async (affiliate: TestAffiliate, redemptions: RedemptionBody[]) => {
      const res = await backend.request('POST', '/v1/invoices', {
        token: affiliate.apiKey,
        body: {
          ...PERIOD,
          lines: redemptions.map((r) => ({
            redemption_id: r.id,
            amount: { amount: r.billing.amount, currency: r.billing.currency },
          })),
        },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; status: string };
    };

    const routes = [
      ['GET', '/v1/admin/redemptions'],
      ['GET', '/v1/admin/invoices'],
      ['GET', '/v1/admin/invoices/inv_x'],
      ['POST', '/v1/admin/invoices/inv_x/approve'],
      ['POST', '/v1/admin/invoices/inv_x/paid'],
      ['GET', `/v1/admin/affiliates/aff_x/statement.csv?${RANGE}`],
    ] as const;

    test('no session, or an affiliate API key: 401 unauthorized', async () => {
      for (const token of [undefined, shop.apiKey, 'cps_no-such-session-token-000000']) {
        for (const [method, path] of routes) {
          const res = await backend.request(method, path, token ? { token } : {});
          assert.equal(res.status, 401, `${method} ${path}`);
          assert.equal(res.body.code, 'unauthorized');
        }
      }
    });

    test('bad queries are 400 invalid_request', async () => {
      for (const path of [
        `/v1/admin/affiliates/${shop.id}/statement.csv`,
        `/v1/admin/affiliates/${shop.id}/statement.csv?since=2026-12-01T00:00:00Z`,
        `/v1/admin/affiliates/${shop.id}/statement.csv?since=yesterday&until=today`,
        '/v1/admin/redemptions?since=not-a-time',
        '/v1/admin/redemptions?limit=201',
        '/v1/admin/invoices?cursor=%00',
      ]) {
        const res = await admin.get(path);
        assert.equal(res.status, 400, path);
        assert.equal(res.body.code, 'invalid_request');
      }
    });

    test('an invoice is approved, then paid; the affiliate sees it', async () => {
      const invoice = await submit(shop, [await redeemNew(), await redeemNew()]);
      assert.equal(invoice.status, 'submitted');
      const shown = await admin.get(`/v1/admin/invoices/${invoice.id}`);
      assert.equal(shown.status, 200);
      assert.equal(shown.body.affiliate_id, shop.id);
      assert.deepEqual(shown.body.total, { amount: 500, currency: 'EUR' });
      backend.clock.set('2026-12-03T15:00:00Z');
      const approved = await admin.post(`/v1/admin/invoices/${invoice.id}/approve`);
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.equal(approved.body.status, 'approved');
      assert.equal(approved.body.approved_at, '2026-12-03T15:00:00Z');
      assert.equal(approved.body.paid_at, null);
      backend.clock.set('2026-12-03T16:00:00Z');
      const paid = await admin.post(`/v1/admin/invoices/${invoice.id}/paid`);
      assert.equal(paid.status, 200);
      assert.equal(paid.body.status, 'paid');
      assert.equal(paid.body.paid_at, '2026-12-03T16:00:00Z');
      const seen = await backend.request('GET', `/v1/invoices/${invoice.id}`, { token: shop.apiKey });
      assert.equal(seen.body.status, 'paid');
    });

    test('steps happen once and in order: 409 conflict otherwise; unknown invoice 404', async () => {
      const invoice = await submit(shop, [await redeemNew()]);
      const early = await admin.post(`/v1/admin/invoices/${invoice.id}/paid`);
      assert.equal(early.status, 409);
      assert.equal(early.body.code, 'conflict');
      assert.equal((await admin.post(`/v1/admin/invoices/${invoice.id}/approve`)).status, 200);
      const twice = await admin.post(`/v1/admin/invoices/${invoice.id}/approve`);
      assert.equal(twice.status, 409);
      assert.equal(twice.body.code, 'conflict');
      assert.equal((await admin.post(`/v1/admin/invoices/${invoice.id}/paid`)).status, 200);
      for (const step of ['approve', 'paid']) {
        const again = await admin.post(`/v1/admin/invoices/${invoice.id}/${step}`);
        assert.equal(again.status, 409, step);
        assert.equal(again.body.code, 'conflict');
      }
      for (const path of [
        '/v1/admin/invoices/inv_doesnotexist00000000/approve',
        '/v1/admin/invoices/inv_doesnotexist00000000/paid',
      ]) {
        const res = await admin.post(path);
        assert.equal(res.status, 404, path);
        assert.equal(res.body.code, 'not_found');
      }
      const missing = await admin.get('/v1/admin/invoices/inv_doesnotexist00000000');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.code, 'not_found');
    });

    test('two admins approving at once: exactly one 200, the other 409', async () => {
      const invoice = await submit(shop, [await redeemNew()]);
      const results = await Promise.all([1, 2, 3].map(() => admin.post(`/v1/admin/invoices/${invoice.id}/approve`)));
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 409, 409]);
    });

    test('lists: every affiliate’s redemptions and invoices, filtered by affiliate and time', async () => {
      const mine = await redeemNew();
      backend.clock.set('2026-12-03T20:00:00Z');
      const theirs = await redeemNew(other, otherBenefitId);
      const theirInvoice = await submit(other, [theirs]);
      const all = await admin.get('/v1/admin/redemptions?limit=200');
      assert.equal(all.status, 200);
      const ids = all.body.data.map((r: { id: string }) => r.id);
      assert.ok(ids.includes(mine.id) && ids.includes(theirs.id));
      const onlyTheirs = await admin.get(`/v1/admin/redemptions?affiliate_id=${other.id}`);
      assert.deepEqual(
        onlyTheirs.body.data.map((r: { id: string }) => r.id),
        [theirs.id],
      );
      const late = await admin.get('/v1/admin/redemptions?since=2026-12-03T19:00:00Z');
      assert.deepEqual(
        late.body.data.map((r: { id: string }) => r.id),
        [theirs.id],
      );
      const invoices = await admin.get(`/v1/admin/invoices?affiliate_id=${other.id}`);
      assert.deepEqual(
        invoices.body.data.map((i: { id: string }) => i.id),
        [theirInvoice.id],
      );
      const paged = await admin.get('/v1/admin/invoices?limit=1');
      assert.equal(paged.body.data.length, 1);
      assert.equal(typeof paged.body.next_cursor, 'string');
    });

    test('the statement CSV: header, one row per redemption, formulas neutralised', async () => {
      const made = await backend.request('POST', '/v1/admin/benefits', {
        token: adminToken,
        body: {
          affiliate_id: shop.id,
          kind: 'prize',
          title: '=HYPERLINK("https://evil.example","click")',
          terms: { description: 'a "prize"' },
          price: { amount: 1234, currency: 'EUR' },
        },
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      backend.clock.set('2026-12-03T22:00:00Z');
      const formula = await redeemNew(shop, made.body.id);
      const plain = await redeemNew();
      const res = await backend.request(
        'GET',
        `/v1/admin/affiliates/${shop.id}/statement.csv?since=2026-12-03T21:00:00Z&until=2026-12-03T23:00:00Z`,
        { token: adminToken },
      );
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
      assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="?statement-aff_/);
      const lines = (res.body as string).split('\r\n');
      assert.equal(
        lines[0],
        'redemption_id,redeemed_at,benefit_id,benefit_title,billing_ref,amount,currency,status,invoice_id,voided_at',
      );
      assert.equal(lines.length, 4, 'two rows and the final CRLF');
      assert.equal(lines[3], '');
      const formulaRow = lines.find((l) => l.startsWith(`"${formula.id}"`));
      assert.ok(formulaRow, 'the row of the formula benefit');
      assert.ok(formulaRow.includes(`"'=HYPERLINK(""https://evil.example"",""click"")"`), formulaRow);
      assert.ok(formulaRow.includes('"1234","EUR","open"'), formulaRow);
      assert.ok(!formulaRow.includes(',"=HYPERLINK'), 'no cell starts with =');
      assert.ok(lines.some((l) => l.startsWith(`"${plain.id}"`)));
      const others = await backend.request(
        'GET',
        `/v1/admin/affiliates/${other.id}/statement.csv?since=2026-12-03T21:00:00Z&until=2026-12-03T23:00:00Z`,
        { token: adminToken },
      );
      assert.equal((others.body as string).split('\r\n').length, 2, 'only the header: nothing of this shop');
      const unknown = await admin.get(`/v1/admin/affiliates/aff_doesnotexist0000000/statement.csv?${RANGE}`);
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.code, 'not_found');
    });

    test('a member session: 403 forbidden on every admin billing route', async () => {
      for (const [method, path] of routes) {
        const res = await backend.request(method, path, { token: member.token });
        assert.equal(res.status, 403, `${method} ${path}`);
        assert.equal(res.body.code, 'forbidden');
      }
    });
  });
}
