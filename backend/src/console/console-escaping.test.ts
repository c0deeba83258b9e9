import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestBackend, type TestBackend } from '../test-support/test-backend.js';
import { testDatabaseKinds } from '../test-support/test-database.js';
import { adminConsole, type ConsoleClient, csrfOf, type SeededLedger, seedLedger } from './console-test-client.js';
import { VIEWS_DIR } from './render.js';

const XSS_NAME = '<img src=x onerror=alert(1)>';
const XSS_NAME_ESCAPED = '&lt;img src=x onerror=alert(1)&gt;';
const XSS_TITLE = '"><svg onload=alert(2)>';
const XSS_TITLE_ESCAPED = '&quot;&gt;&lt;svg onload=alert(2)&gt;';

function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? templates(join(dir, entry.name)) : entry.name.endsWith('.eta') ? [join(dir, entry.name)] : [],
  );
}

describe('console templates', () => {
  test('print raw HTML only for a layout body and for partials (which escape their own values)', () => {
    const raw: string[] = [];
    for (const file of templates(VIEWS_DIR)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/<%~\s*([\s\S]*?)%>/g)) {
        const code = (match[1] ?? '').trim();
        if (code !== 'it.body' && !/^include\('\/partials\/[a-z-]+',/.test(code)) {
          raw.push(`${relative(VIEWS_DIR, file)}: ${code}`);
        }
      }
    }
    assert.deepEqual(raw, []);
  });

  test("have no inline scripts, event handlers or style attributes (CSP script-src 'self')", () => {
    for (const file of templates(VIEWS_DIR)) {
      const text = readFileSync(file, 'utf8');
      assert.doesNotMatch(text, /<script(?![^>]*\bsrc=)[^>]*>/, `${file}: inline script`);
      assert.doesNotMatch(text, /\son[a-z]+\s*=/i, `${file}: event handler attribute`);
      assert.doesNotMatch(text, /\sstyle\s*=/i, `${file}: style attribute`);
      assert.doesNotMatch(text, /javascript:/i, `${file}: javascript: URL`);
    }
  });
});

for (const kind of testDatabaseKinds()) {
  describe(`console escaping on ${kind}`, () => {
    let backend: TestBackend;
    let client: ConsoleClient;
    let csrf: string;
    let ledger: SeededLedger;
    let consoleAffiliateId: string;

    before(async () => {
      backend = await startTestBackend(kind);
      ({ client, csrf } = await adminConsole(backend));
      // One affiliate through the API (with a whole ledger behind it), one through the console form.
      ledger = await seedLedger(backend, XSS_NAME, XSS_TITLE);
      const created = await client.post(
        '/console/affiliates',
        { name: XSS_NAME, origins: 'https://xss-console.example', redeem_url: '', contact_email: '' },
        csrf,
      );
      assert.equal(created.status, 200, created.text);
      const affiliates = await backend.store.affiliates.listAll();
      consoleAffiliateId = (
        affiliates.find((a) => a.origins.includes('https://xss-console.example')) ?? {
          id: '',
        }
      ).id;
      assert.ok(consoleAffiliateId);
    });
    after(() => backend.close());

    const assertEscaped = (html: string, where: string, payloads: [string, string][]) => {
      for (const [raw, escaped] of payloads) {
        assert.ok(!html.includes(raw), `${where}: ${raw} appears unescaped`);
        assert.ok(html.includes(escaped), `${where}: ${escaped} is shown as text`);
      }
    };

    test('the affiliate name and benefit title show as text on every page that shows them', async () => {
      const { affiliate, benefitId, redeemed, spare, redemption, invoiceId } = ledger;
      const name: [string, string] = [XSS_NAME, XSS_NAME_ESCAPED];
      const title: [string, string] = [XSS_TITLE, XSS_TITLE_ESCAPED];
      const pages: [string, [string, string][]][] = [
        ['/console', [name]],
        ['/console/affiliates', [name]],
        [`/console/affiliates/${affiliate.id}`, [name, title]],
        [`/console/affiliates/${affiliate.id}/edit`, [name]],
        [`/console/affiliates/${consoleAffiliateId}`, [name]],
        ['/console/benefits', [name, title]],
        [`/console/benefits?affiliate_id=${affiliate.id}`, [name, title]],
        ['/console/benefits/new', [name]],
        [`/console/benefits/new?affiliate_id=${affiliate.id}`, [name]],
        [`/console/benefits/${benefitId}`, [name, title]],
        [`/console/benefits/${benefitId}/edit`, [name, title]],
        ['/console/credentials', [name, title]],
        [`/console/credentials?q=${redeemed.member.email}`, [name, title]],
        [`/console/credentials/${spare.credentialId}`, [name, title]],
        [`/console/credentials/${spare.credentialId}/revoke`, [name, title]],
        [`/console/members/${redeemed.member.id}`, [name, title]],
        ['/console/redemptions', [name, title]],
        [`/console/redemptions?affiliate_id=${affiliate.id}`, [name, title]],
        [`/console/redemptions/${redemption.id}`, [name, title]],
        ['/console/invoices', [name]],
        [`/console/invoices/${invoiceId}`, [name]],
        ['/console/audit', [name, title]],
      ];
      for (const [path, payloads] of pages) {
        const res = await client.get(path);
        assert.equal(res.status, 200, `${path}: ${res.text.slice(0, 300)}`);
        assertEscaped(res.text, path, payloads);
      }
    });

    test('the one-time API key page and a form shown again with errors escape it too', async () => {
      const key = await client.post(`/console/affiliates/${ledger.affiliate.id}/api-keys`, {}, csrf);
      assert.equal(key.status, 200);
      assertEscaped(key.text, 'new API key page', [[XSS_NAME, XSS_NAME_ESCAPED]]);
      const invalid = await client.post(
        '/console/affiliates',
        { name: XSS_NAME, origins: 'http://not-loopback.example', redeem_url: '', contact_email: '' },
        csrf,
      );
      assert.equal(invalid.status, 400);
      assertEscaped(invalid.text, 'affiliate form with errors', [[XSS_NAME, XSS_NAME_ESCAPED]]);
      const benefit = await client.post(
        '/console/benefits',
        {
          affiliate_id: ledger.affiliate.id,
          kind: 'prize',
          title: XSS_TITLE,
          price: 'x',
          currency: 'EUR',
          ttl_days: '1',
        },
        csrf,
      );
      assert.equal(benefit.status, 400);
      assertEscaped(benefit.text, 'benefit form with errors', [
        [XSS_NAME, XSS_NAME_ESCAPED],
        [XSS_TITLE, XSS_TITLE_ESCAPED],
      ]);
      assert.ok(csrfOf(benefit.text));
    });

    test('a search term is reflected as text only', async () => {
      const probe = encodeURIComponent('<script>alert(3)</script>');
      for (const path of [`/console/members?q=${probe}`, `/console/credentials?q=${probe}`]) {
        const res = await client.get(path);
        assert.equal(res.status, 200);
        assert.ok(!res.text.includes('<script>alert(3)</script>'), path);
        assert.ok(res.text.includes('&lt;script&gt;alert(3)&lt;/script&gt;'), path);
      }
    });
  });
}
