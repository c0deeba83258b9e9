import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newId } from '../../ids.js';
import {
  createAffiliateWithBenefit,
  type HeldCredential,
  issueHeldCredential,
  type TestAffiliate,
} from '../../test-support/redemption-fixture.js';
import { startTestBackend, type TestBackend } from '../../test-support/test-backend.js';
import { testDatabaseKinds } from '../../test-support/test-database.js';
import { billingStatement } from './billing-statement.js';

// The CSV statement read straight from the domain function: page boundaries, every billing state,
// and the spreadsheet-formula guard on every leading character that starts a formula.

const HEADER =
  'redemption_id,redeemed_at,benefit_id,benefit_title,billing_ref,amount,currency,status,invoice_id,voided_at';

for (const kind of testDatabaseKinds()) {
  describe(`billingStatement on ${kind}`, () => {
    let backend: TestBackend;
    let shop: TestAffiliate;
    let benefitId: string;
    let held: HeldCredential;

    before(async () => {
      backend = await startTestBackend(kind);
      ({ affiliate: shop, benefitId } = await createAffiliateWithBenefit(backend));
      held = await issueHeldCredential(backend, benefitId);
    });
    after(() => backend.close());

    /** Writes a redemption row and its open billing line straight through the store. */
    async function insertRedemption(redeemedAt: string, billingRef = 'BR-1'): Promise<string> {
      const id = newId('red');
      await backend.store.redemptions.insert(
        {
          id,
          credentialId: held.credentialId,
          jti: `jti-${id}`,
          affiliateId: shop.id,
          benefit: { id: benefitId, kind: 'product_discount', title: 'ignored', terms: {} },
          price: { amount: 250, currency: 'EUR' },
          billingRef,
          orderRef: null,
          orderTotal: null,
          disclosed: {},
          receipt: 'receipt',
          redeemedAt,
          billingLineId: newId('bil'),
        },
        redeemedAt,
      );
      return id;
    }
    const statement = (since: string, until: string) =>
      billingStatement({ store: backend.store }, shop.id, { since, until });
    const setTitle = (title: string) =>
      backend.database.db.updateTable('benefits').set({ title }).where('id', '=', benefitId).execute();

    test('an empty period is the header alone, CRLF-terminated', async () => {
      assert.equal(await statement('2020-01-01T00:00:00.000Z', '2020-01-02T00:00:00.000Z'), `${HEADER}\r\n`);
    });

    test('more than one page (205 rows at one instant): every row exactly once', async () => {
      const at = '2026-11-01T10:00:00.000Z';
      const ids = new Set<string>();
      for (let i = 0; i < 205; i += 1) ids.add(await insertRedemption(at));
      await insertRedemption('2026-11-02T10:00:00.000Z');
      const csv = await statement('2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z');
      const rows = csv.split('\r\n').slice(1, -1);
      assert.equal(rows.length, 205);
      const seen = rows.map((r) => r.split(',')[0]?.replaceAll('"', ''));
      assert.equal(new Set(seen).size, 205, 'no row twice');
      assert.deepEqual(new Set(seen), ids);
    });

    test('open, invoiced and voided rows carry their state', async () => {
      const at = '2026-10-01T10:00:00.000Z';
      const open = await insertRedemption(at);
      const invoiced = await insertRedemption(at);
      const voided = await insertRedemption(at);
      assert.ok(await backend.store.invoices.markInvoiced(invoiced, shop.id, 'inv_statementtest000000'));
      assert.ok(await backend.store.redemptions.voidOpen(voided, 'returned', '2026-10-02T00:00:00.000Z'));
      const rows = (await statement('2026-10-01T00:00:00.000Z', '2026-10-02T00:00:00.000Z')).split('\r\n');
      const rowOf = (id: string) => rows.find((r) => r.startsWith(`"${id}"`))?.split(',');
      assert.equal(rowOf(open)?.[7], '"open"');
      assert.equal(rowOf(open)?.[8], '""');
      assert.equal(rowOf(invoiced)?.[7], '"invoiced"');
      assert.equal(rowOf(invoiced)?.[8], '"inv_statementtest000000"');
      assert.equal(rowOf(voided)?.[7], '"voided"');
      assert.equal(rowOf(voided)?.[9], '"2026-10-02T00:00:00.000Z"');
      assert.equal(rowOf(open)?.[5], '"250"');
    });

    test('cells that a spreadsheet would read as a formula are neutralised; quotes are doubled', async () => {
      const at = '2026-09-01T10:00:00.000Z';
      await insertRedemption(at, '+BR-formula');
      const cases: [string, string][] = [
        ['=1+1', `"'=1+1"`],
        ['+1', `"'+1"`],
        ['-1', `"'-1"`],
        ['@SUM(A1)', `"'@SUM(A1)"`],
        ['\tTab', `"'\tTab"`],
        ['\rCR', `"'\rCR"`],
        ['Say "hi"', '"Say ""hi"""'],
        ['a,b', '"a,b"'],
        ['ok = fine', '"ok = fine"'],
      ];
      for (const [title, cell] of cases) {
        await setTitle(title);
        const csv = await statement('2026-09-01T00:00:00.000Z', '2026-09-02T00:00:00.000Z');
        assert.ok(csv.includes(`,${cell},`), `${JSON.stringify(title)} in ${JSON.stringify(csv)}`);
        assert.ok(csv.includes(`,"'+BR-formula",`), 'the billing reference too');
      }
      await setTitle('10 % off');
    });

    test('only the affiliate’s own rows, in [since, until)', async () => {
      const first = await insertRedemption('2026-08-01T00:00:00.000Z');
      const last = await insertRedemption('2026-08-02T00:00:00.000Z');
      const csv = await statement('2026-08-01T00:00:00.000Z', '2026-08-02T00:00:00.000Z');
      assert.ok(csv.includes(first));
      assert.ok(!csv.includes(last), 'until is exclusive');
      const none = await billingStatement({ store: backend.store }, 'aff_someoneelse000000000', {
        since: '2026-08-01T00:00:00.000Z',
        until: '2026-08-03T00:00:00.000Z',
      });
      assert.equal(none, `${HEADER}\r\n`);
    });
  });
}
