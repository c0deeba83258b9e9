import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  createAffiliate,
  createAffiliateWithBenefit,
  issueHeldCredential,
  presentTo,
  type RedemptionBody,
  redeem,
  redeemOnce,
  type TestAffiliate,
} from '../../test-support/redemption-fixture.js';
import { signUpMember, type TestMember } from '../../test-support/test-accounts.js';
import { startTestBackend, TEST_NOW, type TestBackend } from '../../test-support/test-backend.js';
import { testDatabaseKinds } from '../../test-support/test-database.js';

const EUR = (amount: number) => ({ amount, currency: 'EUR' });
// Every time stays within the 12 hours the member session of `before` lasts.
const PERIOD = { period_start: '2026-12-03T00:00:00Z', period_end: '2026-12-03T18:00:00Z' };

for (const kind of testDatabaseKinds()) {
  describe(`the affiliate ledger: redemptions, voids, invoices on ${kind}`, () => {
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
    beforeEach(() => backend.clock.set(TEST_NOW));

    const as = (affiliate: TestAffiliate) => ({
      get: (path: string) => backend.request('GET', path, { token: affiliate.apiKey }),
      post: (path: string, body: unknown) => backend.request('POST', path, { token: affiliate.apiKey, body }),
    });
    const redeemNew = async (affiliate = shop, benefit = benefitId): Promise<RedemptionBody> =>
      redeemOnce(backend, affiliate, await issueHeldCredential(backend, benefit, { member }));
    const voidIt = (id: string, affiliate = shop) =>
      as(affiliate).post(`/v1/redemptions/${id}/void`, { reason: 'customer returned the goods' });
    const invoice = (lines: { redemption_id: string; amount: unknown }[], affiliate = shop, period = PERIOD) =>
      as(affiliate).post('/v1/invoices', { ...period, lines });
    const lineOf = (r: RedemptionBody) => ({ redemption_id: r.id, amount: EUR(r.billing.amount) });

    test('without an API key: 401 unauthorized on every ledger route', async () => {
      for (const [method, path] of [
        ['GET', '/v1/redemptions'],
        ['GET', '/v1/redemptions/red_x'],
        ['POST', '/v1/redemptions/red_x/void'],
        ['POST', '/v1/invoices'],
        ['GET', '/v1/invoices'],
        ['GET', '/v1/invoices/inv_x'],
      ] as const) {
        const res = await backend.request(method, path, { body: method === 'POST' ? {} : undefined });
        assert.equal(res.status, 401, `${method} ${path}`);
        assert.equal(res.body.code, 'unauthorized');
      }
    });

    test('bad input is 400 invalid_request, never 5xx', async () => {
      const r = await redeemNew();
      const bad: [string, string, unknown][] = [
        ['POST', `/v1/redemptions/${r.id}/void`, {}],
        ['POST', `/v1/redemptions/${r.id}/void`, { reason: '   ' }],
        ['POST', `/v1/redemptions/${r.id}/void`, { reason: 'x'.repeat(501) }],
        ['POST', `/v1/redemptions/${r.id}/void`, { reason: ['a'] }],
        ['POST', '/v1/invoices', { ...PERIOD, lines: [] }],
        ['POST', '/v1/invoices', { ...PERIOD, lines: 'all of them' }],
        ['POST', '/v1/invoices', { ...PERIOD, lines: [{ redemption_id: r.id, amount: 2.5 }] }],
        [
          'POST',
          '/v1/invoices',
          { ...PERIOD, lines: [{ redemption_id: r.id, amount: { amount: 2.5, currency: 'EUR' } }] },
        ],
        [
          'POST',
          '/v1/invoices',
          { ...PERIOD, lines: [{ redemption_id: r.id, amount: { amount: 250, currency: 'eur' } }] },
        ],
        ['POST', '/v1/invoices', { ...PERIOD, lines: [{ redemption_id: 42, amount: EUR(250) }] }],
        ['POST', '/v1/invoices', { ...PERIOD, lines: [{ redemption_id: 'x'.repeat(10_000), amount: EUR(1) }] }],
        ['POST', '/v1/invoices', { period_start: 'yesterday', period_end: PERIOD.period_end, lines: [lineOf(r)] }],
        ['POST', '/v1/invoices', { lines: [lineOf(r)] }],
        ['POST', '/v1/invoices', [lineOf(r)]],
        ['GET', '/v1/redemptions?since=last-week', undefined],
        ['GET', '/v1/redemptions?until=2026-13-45T00:00:00Z', undefined],
        ['GET', '/v1/redemptions?limit=0', undefined],
        ['GET', '/v1/redemptions?limit=many', undefined],
        ['GET', '/v1/redemptions?cursor=!!!', undefined],
        ['GET', '/v1/invoices?cursor=bm90IGEgY3Vyc29y', undefined],
      ];
      for (const [method, path, body] of bad) {
        const res = await backend.request(method, path, { token: shop.apiKey, body });
        assert.equal(res.status, 400, `${method} ${path} ${JSON.stringify(body)?.slice(0, 60)}`);
        assert.equal(res.body.code, 'invalid_request');
      }
      for (const [method, path, status, code] of [
        ['GET', `/v1/redemptions/${'x'.repeat(5000)}`, 404, 'not_found'],
        ['GET', '/v1/invoices/%E0%A4%A', 400, 'invalid_request'],
        ['POST', '/v1/redemptions/%ZZ/void', 400, 'invalid_request'],
      ] as const) {
        const body = method === 'POST' ? { reason: 'returned' } : undefined;
        const res = await backend.request(method, path, { token: shop.apiKey, body });
        assert.equal(res.status, status, path.slice(0, 40));
        assert.equal(res.body.code, code);
      }
      const manyLines = await invoice(Array.from({ length: 1001 }, () => ({ redemption_id: 'r', amount: EUR(1) })));
      assert.equal(manyLines.status, 400, 'at most 1000 lines');
      assert.equal(manyLines.body.code, 'invalid_request');
      for (const period of [
        { period_start: PERIOD.period_end, period_end: PERIOD.period_start },
        { period_start: PERIOD.period_start, period_end: PERIOD.period_start },
        { period_start: '2026-12-03T01:00:00+01:00', period_end: '2026-12-03T00:00:00Z' },
      ]) {
        const res = await invoice([lineOf(r)], shop, period);
        assert.equal(res.status, 400, JSON.stringify(period));
        assert.equal(res.body.code, 'invalid_request');
        assert.equal(res.body.errors[0].path, 'period_end');
      }
      const invoicedLine = await backend.database.db
        .selectFrom('billing_lines')
        .select('status')
        .where('redemption_id', '=', r.id)
        .executeTakeFirstOrThrow();
      assert.equal(invoicedLine.status, 'open', 'none of it touched the ledger');
    });

    test('GET /v1/redemptions: own only, newest first, filtered by since/until, paginated', async () => {
      backend.clock.set('2026-12-03T19:00:00Z');
      const early = await redeemNew();
      backend.clock.set('2026-12-03T21:00:00Z');
      const late = await redeemNew();
      const theirs = await redeemNew(other, otherBenefitId);
      const all = await as(shop).get('/v1/redemptions?since=2026-12-03T18:30:00Z');
      assert.equal(all.status, 200);
      assert.deepEqual(
        all.body.data.map((r: { id: string }) => r.id),
        [late.id, early.id],
      );
      const day = await as(shop).get('/v1/redemptions?since=2026-12-03T18:30:00Z&until=2026-12-03T20:00:00Z');
      assert.deepEqual(
        day.body.data.map((r: { id: string }) => r.id),
        [early.id],
      );
      const exact = await as(shop).get('/v1/redemptions?since=2026-12-03T21:00:00Z&until=2026-12-03T21:00:01Z');
      assert.deepEqual(
        exact.body.data.map((r: { id: string }) => r.id),
        [late.id],
        'since is inclusive',
      );
      const everything = await as(shop).get('/v1/redemptions?limit=200');
      assert.ok(everything.body.data.every((r: { id: string }) => r.id !== theirs.id));
      const first = await as(shop).get('/v1/redemptions?limit=1');
      assert.equal(first.body.data.length, 1);
      assert.equal(first.body.data[0].id, late.id);
      const second = await as(shop).get(`/v1/redemptions?limit=1&cursor=${first.body.next_cursor}`);
      assert.equal(second.body.data[0].id, early.id);
      const mine = await as(other).get('/v1/redemptions');
      assert.deepEqual(
        mine.body.data.map((r: { id: string }) => r.id),
        [theirs.id],
      );
    });

    test('GET /v1/redemptions/:id: own 200; another affiliate’s is 404 not_found like an unknown id', async () => {
      const r = await redeemNew();
      const own = await as(shop).get(`/v1/redemptions/${r.id}`);
      assert.equal(own.status, 200);
      assert.equal(own.body.id, r.id);
      assert.equal(own.body.status, 'redeemed');
      const foreign = await as(other).get(`/v1/redemptions/${r.id}`);
      const unknown = await as(other).get('/v1/redemptions/red_doesnotexist0000000000');
      for (const res of [foreign, unknown]) {
        assert.equal(res.status, 404);
        assert.equal(res.body.code, 'not_found');
      }
      assert.equal(foreign.body.detail, unknown.body.detail, 'no hint that the id exists');
    });

    test('void before invoicing: 200, the billing line is cancelled and the credential is usable again', async () => {
      const held = await issueHeldCredential(backend, benefitId, { member });
      const r = await redeemOnce(backend, shop, held);
      const voided = await voidIt(r.id);
      assert.equal(voided.status, 200, JSON.stringify(voided.body));
      assert.equal(voided.body.status, 'voided');
      assert.equal(voided.body.void_reason, 'customer returned the goods');
      assert.match(voided.body.voided_at, /^2026-12-03T12:00:00Z$/);
      const line = await backend.database.db
        .selectFrom('billing_lines')
        .select('status')
        .where('redemption_id', '=', r.id)
        .executeTakeFirstOrThrow();
      assert.equal(line.status, 'cancelled');
      const again = await redeem(backend, shop, await presentTo(backend, shop, held));
      assert.equal(again.status, 201, JSON.stringify(again.body));
      assert.notEqual(again.body.id, r.id);
      const twice = await voidIt(r.id);
      assert.equal(twice.status, 409);
      assert.equal(twice.body.code, 'conflict');
    });

    test('void after invoicing is 409 conflict; another affiliate’s redemption is 404 not_found', async () => {
      const r = await redeemNew();
      const foreign = await voidIt(r.id, other);
      assert.equal(foreign.status, 404);
      assert.equal(foreign.body.code, 'not_found');
      const unknown = await voidIt('red_doesnotexist0000000000', other);
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.code, 'not_found');
      const billed = await invoice([lineOf(r)]);
      assert.equal(billed.status, 201);
      assert.deepEqual(billed.body.accepted, [r.id]);
      const late = await voidIt(r.id);
      assert.equal(late.status, 409);
      assert.equal(late.body.code, 'conflict');
      assert.equal((await as(shop).get(`/v1/redemptions/${r.id}`)).body.status, 'invoiced');
    });

    test('an invoice reconciles every line: each rejection reason, and a total of the accepted lines', async () => {
      const usd = await backend.request('POST', '/v1/admin/benefits', {
        token: adminToken,
        body: {
          affiliate_id: shop.id,
          kind: 'free_goods',
          title: 'Free tote',
          terms: { description: 'A tote bag' },
          price: { amount: 250, currency: 'USD' },
        },
      });
      assert.equal(usd.status, 201, JSON.stringify(usd.body));
      const [a, b, c, d] = [await redeemNew(), await redeemNew(), await redeemNew(), await redeemNew()];
      const inUsd = await redeemNew(shop, usd.body.id);
      const voided = await redeemNew();
      assert.equal((await voidIt(voided.id)).status, 200);
      const theirs = await redeemNew(other, otherBenefitId);
      const earlier = await invoice([lineOf(d)]);
      assert.deepEqual(earlier.body.accepted, [d.id]);
      backend.clock.set(PERIOD.period_end);
      const atPeriodEnd = await redeemNew();

      const res = await invoice([
        lineOf(a),
        lineOf(b),
        { redemption_id: 'red_doesnotexist0000000000', amount: EUR(250) },
        { redemption_id: theirs.id, amount: EUR(100) },
        lineOf(voided),
        lineOf(a),
        { redemption_id: c.id, amount: EUR(999) },
        { redemption_id: c.id, amount: { amount: 250, currency: 'USD' } },
        { redemption_id: inUsd.id, amount: { amount: 250, currency: 'USD' } },
        lineOf(d),
        lineOf(atPeriodEnd),
      ]);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.match(res.body.id, /^inv_/);
      assert.equal(res.body.status, 'submitted');
      assert.deepEqual(res.body.accepted, [a.id, b.id]);
      assert.deepEqual(res.body.rejected, [
        { redemption_id: 'red_doesnotexist0000000000', reason: 'unknown' },
        { redemption_id: theirs.id, reason: 'not_yours' },
        { redemption_id: voided.id, reason: 'voided' },
        { redemption_id: a.id, reason: 'duplicate_line' },
        { redemption_id: c.id, reason: 'amount_mismatch' },
        { redemption_id: c.id, reason: 'duplicate_line' },
        { redemption_id: inUsd.id, reason: 'amount_mismatch' },
        { redemption_id: d.id, reason: 'already_invoiced' },
        { redemption_id: atPeriodEnd.id, reason: 'out_of_period' },
      ]);
      assert.deepEqual(res.body.total, EUR(500));
      const fetched = await as(shop).get(`/v1/invoices/${res.body.id}`);
      assert.equal(fetched.status, 200);
      assert.deepEqual(fetched.body.accepted, res.body.accepted);
      assert.deepEqual(fetched.body.total, EUR(500));
      const cLine = await as(shop).get(`/v1/redemptions/${c.id}`);
      assert.equal(cLine.body.status, 'redeemed', 'a rejected line stays open');
      const cBilled = await invoice([lineOf(c)]);
      assert.deepEqual(cBilled.body.accepted, [c.id]);
    });

    test('two invoices racing for the same redemptions: each is accepted on exactly one', async () => {
      for (let round = 0; round < 3; round += 1) {
        const rs = await Promise.all(Array.from({ length: 6 }, () => redeemNew()));
        const lines = rs.map(lineOf);
        const results = await Promise.all([
          invoice(lines),
          invoice([...lines].reverse()),
          invoice([lines[2], lines[0]] as typeof lines),
        ]);
        for (const r of results) assert.equal(r.status, 201, JSON.stringify(r.body));
        const accepted = results.flatMap((r) => r.body.accepted as string[]);
        assert.deepEqual([...accepted].sort(), rs.map((r) => r.id).sort(), `round ${round}`);
        for (const r of results) {
          assert.equal(r.body.total.amount, r.body.accepted.length * 250);
          for (const rejected of r.body.rejected) assert.equal(rejected.reason, 'already_invoiced');
        }
      }
    });

    test('GET /v1/invoices lists only own invoices; another affiliate’s invoice is 404', async () => {
      const mine = await invoice([lineOf(await redeemNew())]);
      const theirs = await invoice(
        [lineOf(await redeemNew(other, otherBenefitId))].map((l) => ({ ...l, amount: EUR(100) })),
        other,
      );
      assert.equal(theirs.status, 201);
      assert.deepEqual(theirs.body.total, EUR(100));
      const list = await as(shop).get('/v1/invoices?limit=200');
      assert.equal(list.status, 200);
      const ids = list.body.data.map((i: { id: string }) => i.id);
      assert.ok(ids.includes(mine.body.id));
      assert.ok(!ids.includes(theirs.body.id));
      assert.ok(list.body.data.every((i: { affiliate_id: string }) => i.affiliate_id === shop.id));
      const peek = await as(shop).get(`/v1/invoices/${theirs.body.id}`);
      assert.equal(peek.status, 404);
      assert.equal(peek.body.code, 'not_found');
      const unknown = await as(shop).get('/v1/invoices/inv_doesnotexist000000000');
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.code, 'not_found');
    });
  });
}
