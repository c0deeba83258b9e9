import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestBackend, type TestBackend } from '../test-support/test-backend.js';
import { testDatabaseKinds } from '../test-support/test-database.js';
import { adminConsole, type ConsoleClient, type SeededLedger, seedLedger } from './console-test-client.js';

const TABLES = [
  'affiliates',
  'api_keys',
  'benefits',
  'credentials',
  'signing_keys',
  'invoices',
  'billing_lines',
  'audit_log',
  'sessions',
] as const;

for (const kind of testDatabaseKinds()) {
  describe(`console CSRF protection on ${kind}`, () => {
    let backend: TestBackend;
    let client: ConsoleClient;
    let csrf: string;
    let ledger: SeededLedger;
    let keyId: string;

    before(async () => {
      backend = await startTestBackend(kind);
      ({ client, csrf } = await adminConsole(backend));
      ledger = await seedLedger(backend, 'Corner Shop');
      keyId = (await backend.store.affiliates.listApiKeys(ledger.affiliate.id))[0]?.id as string;
      await backend.keyRing.current();
    });
    after(() => backend.close());

    /** Every row of the tables a console form could change, in a stable order. */
    async function snapshot(): Promise<string> {
      const out: Record<string, unknown[]> = {};
      for (const table of TABLES) {
        out[table] = await backend.database.db
          .selectFrom(table)
          .selectAll()
          .execute()
          .then((rows) => rows.map((r) => JSON.stringify(r)).sort());
      }
      return JSON.stringify(out);
    }

    /** Every state-changing form of the console, with a valid body. */
    const forms = (): [string, Record<string, string | string[]>][] => {
      const { affiliate, benefitId, spare, invoiceId } = ledger;
      const benefit = {
        kind: 'prize',
        title: 'A prize',
        price: '1.00',
        currency: 'EUR',
        ttl_days: '30',
        terms_description: 'A mug',
      };
      return [
        ['/console/affiliates', { name: 'New', origins: 'https://new-shop.example' }],
        [`/console/affiliates/${affiliate.id}`, { name: 'Renamed', origins: affiliate.origin }],
        [`/console/affiliates/${affiliate.id}/api-keys`, {}],
        [`/console/affiliates/${affiliate.id}/api-keys/${keyId}/revoke`, {}],
        ['/console/benefits', { affiliate_id: affiliate.id, ...benefit }],
        [`/console/benefits/${benefitId}`, benefit],
        [`/console/benefits/${benefitId}/withdraw`, {}],
        [`/console/credentials/${spare.credentialId}/revoke`, {}],
        ['/console/keys/rotate', {}],
        [`/console/invoices/${invoiceId}/approve`, {}],
        ['/console/sign-out', {}],
      ];
    };

    test('a form without its CSRF token: 403 and nothing changed', async () => {
      const before = await snapshot();
      for (const [path, form] of forms()) {
        const res = await client.post(path, form, null);
        assert.equal(res.status, 403, path);
        assert.match(res.text, /Nothing was changed|You are still signed in/, path);
      }
      assert.equal(await snapshot(), before);
    });

    test('a form with a wrong CSRF token (another session’s, or altered): 403 and nothing changed', async () => {
      const other = await adminConsole(backend);
      const before = await snapshot();
      const wrongTokens = [other.csrf, `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}`, csrf.slice(1), ' '];
      for (const [path, form] of forms()) {
        for (const wrong of wrongTokens) {
          const res = await client.post(path, { ...form, _csrf: wrong }, null);
          assert.equal(res.status, 403, `${path} with ${JSON.stringify(wrong)}`);
        }
        const twice = await client.post(path, { ...form, _csrf: [csrf, csrf] }, null);
        assert.equal(twice.status, 403, `${path} with a repeated token`);
      }
      assert.equal(await snapshot(), before);
    });

    test('a form sent from another site (Sec-Fetch-Site: cross-site) is refused even with the token', async () => {
      const before = await snapshot();
      for (const [path, form] of forms()) {
        const params = new URLSearchParams({ ...form, _csrf: csrf } as Record<string, string>);
        const res = await client.request('POST', path, {
          headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'application/x-www-form-urlencoded' },
          form: Object.fromEntries(params),
        });
        assert.equal(res.status, 403, path);
      }
      assert.equal(await snapshot(), before);
    });

    test('the same forms with the session’s token do change things', async () => {
      const before = await snapshot();
      const res = await client.post(`/console/benefits/${ledger.benefitId}/withdraw`, {}, csrf);
      assert.equal(res.status, 303);
      assert.notEqual(await snapshot(), before);
      assert.equal((await backend.store.benefits.findById(ledger.benefitId))?.active, false);
    });
  });
}
