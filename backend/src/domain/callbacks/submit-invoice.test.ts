import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAffiliateWithBenefit } from '../../test-support/redemption-fixture.js';
import { startTestBackend, type TestBackend } from '../../test-support/test-backend.js';

describe('an invoice with no accepted line', () => {
  let backend: TestBackend;
  before(async () => {
    backend = await startTestBackend('sqlite');
  });
  after(() => backend.close());

  test('totals zero in the currency it was billed in, so the total stays valid Money', async () => {
    const { affiliate } = await createAffiliateWithBenefit(backend);
    const res = await backend.request('POST', '/v1/invoices', {
      token: affiliate.apiKey,
      body: {
        period_start: '2026-12-01T00:00:00Z',
        period_end: '2026-12-31T00:00:00Z',
        lines: [{ redemption_id: 'red_doesnotexist00000', amount: { amount: 250, currency: 'EUR' } }],
      },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(res.body.accepted, []);
    assert.deepEqual(res.body.rejected, [{ redemption_id: 'red_doesnotexist00000', reason: 'unknown' }]);
    assert.deepEqual(res.body.total, { amount: 0, currency: 'EUR' });
  });
});
