import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { secretDigest } from '../secrets.js';
import { startTestBackend, TEST_NOW, type TestBackend } from '../test-support/test-backend.js';
import { testDatabaseKinds } from '../test-support/test-database.js';
import { adminConsole, type ConsoleClient, type SeededLedger, seedLedger } from './console-test-client.js';
import { minorUnits } from './forms/benefit-form.js';

describe('console money input', () => {
  test('decimals become minor units by the currency’s exponent', () => {
    assert.equal(minorUnits('2.50', 'EUR'), 250);
    assert.equal(minorUnits('2,5', 'EUR'), 250);
    assert.equal(minorUnits('300', 'JPY'), 300);
    assert.equal(minorUnits('0.125', 'BHD'), 125);
    assert.match(String(minorUnits('2.505', 'EUR')), /at most 2 decimals/);
    assert.match(String(minorUnits('1.5', 'JPY')), /whole amount/);
    assert.match(String(minorUnits('-1', 'EUR')), /enter an amount/);
    assert.match(String(minorUnits('1e3', 'EUR')), /enter an amount/);
  });
});

for (const kind of testDatabaseKinds()) {
  describe(`console pages on ${kind}`, () => {
    let backend: TestBackend;
    let client: ConsoleClient;
    let csrf: string;
    let ledger: SeededLedger;

    before(async () => {
      backend = await startTestBackend(kind);
      ({ client, csrf } = await adminConsole(backend));
      ledger = await seedLedger(backend, 'Corner Coffee', 'Free refill');
    });
    after(() => backend.close());

    test('every page has a title, the navigation with the current section, and a label for every field', async () => {
      const pages = [
        '/console',
        '/console/members',
        `/console/members/${ledger.redeemed.member.id}`,
        '/console/affiliates',
        '/console/affiliates/new',
        `/console/affiliates/${ledger.affiliate.id}`,
        `/console/affiliates/${ledger.affiliate.id}/edit`,
        '/console/benefits',
        '/console/benefits/new',
        `/console/benefits/${ledger.benefitId}`,
        `/console/benefits/${ledger.benefitId}/edit`,
        '/console/credentials',
        `/console/credentials/${ledger.spare.credentialId}`,
        `/console/credentials/${ledger.spare.credentialId}/revoke`,
        '/console/redemptions',
        `/console/redemptions/${ledger.redemption.id}`,
        '/console/invoices',
        `/console/invoices/${ledger.invoiceId}`,
        '/console/keys',
        '/console/keys/rotate',
        '/console/audit',
      ];
      for (const path of pages) {
        const res = await client.get(path);
        assert.equal(res.status, 200, path);
        assert.match(res.text, /<title>[^<]+ · Clubpass console<\/title>/, path);
        assert.match(res.text, /<nav class="sidebar" aria-label="Console sections">/, path);
        assert.match(res.text, /aria-current="page"/, path);
        assert.match(res.text, /<main id="main"/, path);
        // Every visible input, select and textarea has a <label for> naming its id.
        const fields = [...res.text.matchAll(/<(input|select|textarea)\b([^>]*)>/g)]
          .map((m) => m[2] ?? '')
          .filter((attrs) => !/type="hidden"/.test(attrs));
        for (const attrs of fields) {
          const id = /\bid="([^"]+)"/.exec(attrs)?.[1];
          const wrapped = /type="checkbox"/.test(attrs); // inside its <label class="check">
          assert.ok(wrapped || (id && res.text.includes(`<label for="${id}">`)), `${path}: unlabelled field ${attrs}`);
        }
        for (const form of res.text.matchAll(/<form method="post"[\s\S]*?<\/form>/g)) {
          assert.match(form[0], /name="_csrf" value="[A-Za-z0-9_-]{43}"/, `${path}: a form without its CSRF token`);
        }
      }
    });

    test('a new affiliate: bad input is shown beside its field and nothing is created', async () => {
      const before = (await backend.store.affiliates.listAll()).length;
      const res = await client.post(
        '/console/affiliates',
        {
          name: '  ',
          origins: 'https://ok.example\nhttp://shop.example\nhttps://ok.example/',
          contact_email: 'not-mail',
        },
        csrf,
      );
      assert.equal(res.status, 400);
      assert.match(res.text, /class="error-summary"/);
      assert.match(res.text, /<p class="field-error" id="f-name-error"><span>enter a name<\/span>/);
      assert.match(res.text, /id="f-contact_email-error"/);
      assert.match(res.text, /aria-invalid="true"/);
      assert.match(res.text, /aria-describedby="f-name-hint f-name-error"/);
      // The typed values are kept.
      assert.match(res.text, /https:\/\/ok.example\nhttp:\/\/shop.example/);
      const origins = await client.post(
        '/console/affiliates',
        { name: 'Shop', origins: 'https://ok.example\nhttp://shop.example\nhttps://ok.example/' },
        csrf,
      );
      assert.equal(origins.status, 400);
      assert.match(origins.text, /line 2 \(http:\/\/shop.example\): http:\/\/ is allowed only for loopback hosts/);
      assert.match(
        origins.text,
        /line 3 \(https:\/\/ok.example\/\): not an exact origin; write it as https:\/\/ok.example/,
      );
      const taken = await client.post(
        '/console/affiliates',
        { name: 'Copycat', origins: ledger.affiliate.origin },
        csrf,
      );
      assert.equal(taken.status, 409);
      assert.match(taken.text, /already registered to Corner Coffee/);
      assert.equal((await backend.store.affiliates.listAll()).length, before);
    });

    test('the API key is shown once, never cached, and works; the affiliate page never shows it again', async () => {
      const res = await client.post('/console/affiliates', { name: 'Bakery', origins: 'https://bakery.example' }, csrf);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const key = /id="new-api-key"[^>]*value="(cpk_[A-Za-z0-9_-]{43})"/.exec(res.text)?.[1];
      assert.ok(key);
      assert.match(res.text, /<label for="new-api-key">API key for Bakery<\/label>/);
      assert.match(res.text, /<button type="button" class="button" data-copy="new-api-key">Copy<\/button>/);
      const owner = await backend.store.affiliates.findApiKeyOwner(secretDigest(key));
      assert.ok(owner);
      assert.match(res.text, new RegExp(`data-replace-url="/console/affiliates/${owner.affiliateId}"`));
      const page = await client.get(`/console/affiliates/${owner.affiliateId}`);
      assert.ok(!page.text.includes(key), 'not on the affiliate page');
      assert.ok(page.text.includes(key.slice(0, 12)), 'its prefix tells it apart');
      const nonce = await backend.request('POST', '/v1/nonces', { token: key });
      assert.equal(nonce.status, 201, 'the affiliate can use it');

      const revoke = await client.post(
        `/console/affiliates/${owner.affiliateId}/api-keys/${owner.keyId}/revoke`,
        {},
        csrf,
      );
      assert.equal(revoke.status, 303);
      assert.equal((await backend.request('POST', '/v1/nonces', { token: key })).status, 401);
      const after = await client.get(revoke.location as string);
      assert.match(after.text, /The API key was revoked/);
    });

    test('editing an affiliate keeps the form’s rules: a redeem URL off the origins is refused', async () => {
      const { affiliate } = ledger;
      const bad = await client.post(
        `/console/affiliates/${affiliate.id}`,
        { name: 'Corner Coffee', origins: affiliate.origin, redeem_url: 'https://elsewhere.example/redeem' },
        csrf,
      );
      assert.equal(bad.status, 400);
      assert.match(bad.text, /id="f-redeem_url-error"/);
      const ok = await client.post(
        `/console/affiliates/${affiliate.id}`,
        {
          name: 'Corner Coffee',
          origins: `${affiliate.origin}\nhttp://localhost:5173`,
          redeem_url: `${affiliate.origin}/redeem`,
          contact_email: 'Billing@Coffee.example',
        },
        csrf,
      );
      assert.equal(ok.status, 303);
      const saved = await backend.store.affiliates.findById(affiliate.id);
      assert.deepEqual(saved?.origins, [affiliate.origin, 'http://localhost:5173']);
      assert.equal(saved?.contactEmail, 'billing@coffee.example');
    });

    test('a benefit: created from the form in minor units, then edited, withdrawn and put back', async () => {
      const invalid = await client.post(
        '/console/benefits',
        {
          affiliate_id: ledger.affiliate.id,
          kind: 'product_discount',
          title: 'Nothing',
          price: '2.505',
          currency: 'EUR',
          ttl_days: '400',
          percent_off: '',
        },
        csrf,
      );
      assert.equal(invalid.status, 400);
      assert.match(invalid.text, /id="f-price-error"><span>use at most 2 decimals/);
      assert.match(invalid.text, /id="f-ttl_days-error"/);
      const noTerms = await client.post(
        '/console/benefits',
        {
          affiliate_id: ledger.affiliate.id,
          kind: 'prize',
          title: 'Nothing',
          price: '1',
          currency: 'EUR',
          ttl_days: '1',
        },
        csrf,
      );
      assert.equal(noTerms.status, 400);
      assert.match(noTerms.text, /id="f-terms-error"><span>give at least one of/);

      const created = await client.post(
        '/console/benefits',
        {
          affiliate_id: ledger.affiliate.id,
          kind: 'free_goods',
          title: 'Free cookie',
          description: 'With any coffee',
          amount_off: '1.20',
          terms_description: 'One cookie',
          price: '0.80',
          currency: 'eur',
          ttl_days: '7',
          valid_from: '2026-12-04T09:00',
          valid_until: '2027-01-31T18:30',
          per_member_limit: '2',
          total_limit: '500',
          requires: ['email', 'membership_number'],
        },
        csrf,
      );
      assert.equal(created.status, 303, created.text);
      const id = /^\/console\/benefits\/(ben_[^?]+)\?done=benefit-created$/.exec(created.location ?? '')?.[1];
      assert.ok(id);
      const benefit = await backend.store.benefits.findById(id);
      assert.deepEqual(
        { ...benefit, id: undefined, createdAt: undefined, updatedAt: undefined },
        {
          id: undefined,
          affiliateId: ledger.affiliate.id,
          kind: 'free_goods',
          title: 'Free cookie',
          description: 'With any coffee',
          terms: { amount_off: { amount: 120, currency: 'EUR' }, description: 'One cookie' },
          price: { amount: 80, currency: 'EUR' },
          credentialTtlSeconds: 7 * 86_400,
          validFrom: '2026-12-04T09:00:00.000Z',
          validUntil: '2027-01-31T18:30:00.000Z',
          perMemberLimit: 2,
          totalLimit: 500,
          issuedCount: 0,
          requires: ['email', 'membership_number'],
          active: true,
          createdAt: undefined,
          updatedAt: undefined,
        },
      );
      const page = await client.get(created.location as string);
      assert.match(page.text, /The benefit was created/);
      assert.match(page.text, /<meter class="meter" min="0" max="500" value="0"/);
      // The edit form shows the stored values back in the admin's units.
      const edit = await client.get(`/console/benefits/${id}/edit`);
      assert.match(edit.text, /name="price" type="text" value="0.80"/);
      assert.match(edit.text, /name="valid_until" type="datetime-local" value="2027-01-31T18:30"/);
      assert.match(edit.text, /name="requires" value="email" checked/);

      const edited = await client.post(
        `/console/benefits/${id}`,
        {
          kind: 'free_goods',
          title: 'Two cookies',
          terms_description: 'Two',
          price: '1.00',
          currency: 'EUR',
          ttl_days: '7',
        },
        csrf,
      );
      assert.equal(edited.status, 303);
      const after = await backend.store.benefits.findById(id);
      assert.equal(after?.title, 'Two cookies');
      assert.equal(after?.validUntil, null);
      assert.equal(after?.affiliateId, ledger.affiliate.id);
      assert.equal((await client.post(`/console/benefits/${id}/withdraw`, {}, csrf)).status, 303);
      assert.equal((await backend.store.benefits.findById(id))?.active, false);
      const withdrawn = await client.get('/console/benefits?status=withdrawn');
      assert.ok(withdrawn.text.includes('Two cookies'));
      assert.equal((await client.post(`/console/benefits/${id}/reinstate`, {}, csrf)).status, 303);
      assert.equal((await backend.store.benefits.findById(id))?.active, true);
    });

    test('the benefit page counts issued and redeemed credentials against the limits', async () => {
      const page = await client.get(`/console/benefits/${ledger.benefitId}`);
      assert.match(page.text, /Credentials issued<\/p>\s*<p class="stat-value">2/);
      assert.match(page.text, /Redeemed<\/p>\s*<p class="stat-value">1 <span class="stat-unit">of 2 issued/);
    });

    test('members: search by e-mail, its beginning, or membership number; the profile lists credentials', async () => {
      const { member } = ledger.redeemed;
      for (const q of [member.email, member.email.slice(0, 12), member.membershipNumber]) {
        const res = await client.get(`/console/members?q=${encodeURIComponent(q)}`);
        assert.ok(res.text.includes(member.email), q);
      }
      const none = await client.get('/console/members?q=nobody%40nowhere.example');
      assert.match(none.text, /No member matches/);
      const profile = await client.get(`/console/members/${member.id}`);
      assert.ok(profile.text.includes(ledger.spare.credentialId));
      assert.ok(profile.text.includes(ledger.redeemed.credentialId));
      assert.match(profile.text, /badge-blue">Redeemed/);
      assert.equal((await client.get('/console/members/mem_unknown')).status, 404);
    });

    test('credentials: found by id, e-mail or membership number; revoked after a confirmation page', async () => {
      const { member } = ledger.redeemed;
      for (const q of [ledger.spare.credentialId, member.email, member.membershipNumber, member.id]) {
        const res = await client.get(`/console/credentials?q=${encodeURIComponent(q)}`);
        assert.ok(res.text.includes(ledger.spare.credentialId), q);
      }
      const redeemedPage = await client.get(`/console/credentials/${ledger.redeemed.credentialId}`);
      assert.ok(redeemedPage.text.includes(ledger.redemption.id), 'links to its redemption');
      assert.doesNotMatch(redeemedPage.text, /Revoke…/, 'a redeemed credential cannot be revoked');

      const confirm = await client.get(`/console/credentials/${ledger.spare.credentialId}/revoke`);
      assert.match(confirm.text, /Revoke this credential\?/);
      assert.match(confirm.text, /<a class="button button-quiet" href="\/console\/credentials\/[^"]+">Cancel<\/a>/);
      const res = await client.post(`/console/credentials/${ledger.spare.credentialId}/revoke`, {}, csrf);
      assert.equal(res.status, 303);
      assert.equal((await backend.store.adminCredentials.find(ledger.spare.credentialId))?.status, 'revoked');
      const again = await client.post(`/console/credentials/${ledger.spare.credentialId}/revoke`, {}, csrf);
      assert.equal(again.status, 409);
      assert.match(again.text, /cannot be revoked/);
    });

    test('redemptions: filtered by affiliate and day; one shows its receipt and billing line', async () => {
      const today = TEST_NOW.slice(0, 10);
      const hit = await client.get(
        `/console/redemptions?affiliate_id=${ledger.affiliate.id}&since=${today}&until=${today}`,
      );
      assert.ok(hit.text.includes(ledger.redemption.id));
      const miss = await client.get('/console/redemptions?since=2027-01-01');
      assert.match(miss.text, /No redemption matches these filters/);
      const bad = await client.get('/console/redemptions?since=2026-13-40');
      assert.equal(bad.status, 400);
      assert.match(bad.text, /id="f-since-error"/);
      const page = await client.get(`/console/redemptions/${ledger.redemption.id}`);
      assert.match(page.text, /clubpass-receipt\+jwt/);
      assert.ok(page.text.includes(ledger.redemption.receipt));
      assert.ok(page.text.includes(ledger.redemption.billing.billing_ref));
      assert.ok(page.text.includes(ledger.invoiceId), 'the billing line names its invoice');
    });

    test('invoices: the reconciliation, approve, mark paid, and a CSV of the lines', async () => {
      const page = await client.get(`/console/invoices/${ledger.invoiceId}`);
      assert.match(page.text, /Lines accepted<\/p><p class="stat-value">1/);
      assert.match(page.text, /No such redemption in the ledger/);
      assert.match(page.text, /Approve invoice/);
      assert.doesNotMatch(page.text, /Mark as paid/);

      const csv = await client.get(`/console/invoices/${ledger.invoiceId}/csv`);
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
      assert.match(
        csv.headers.get('content-disposition') ?? '',
        new RegExp(`attachment; filename="?invoice-${ledger.invoiceId}\\.csv"?$`),
      );
      const lines = csv.text.trimEnd().split('\r\n');
      assert.equal(lines.length, 3);
      assert.match(lines[0] as string, /^invoice_id,affiliate_id,period_start,period_end,invoice_status,redemption_id/);
      assert.ok(lines.some((l) => l.includes(`"${ledger.redemption.id}","100","EUR","accepted",""`)));
      assert.ok(lines.some((l) => l.includes('"red_doesnotexist0000000","100","EUR","rejected","unknown"')));

      assert.equal((await client.post(`/console/invoices/${ledger.invoiceId}/approve`, {}, csrf)).status, 303);
      const approved = await client.get(`/console/invoices/${ledger.invoiceId}`);
      assert.match(approved.text, /Mark as paid/);
      assert.equal((await client.post(`/console/invoices/${ledger.invoiceId}/approve`, {}, csrf)).status, 409);
      assert.equal((await client.post(`/console/invoices/${ledger.invoiceId}/paid`, {}, csrf)).status, 303);
      assert.equal((await backend.store.invoices.findById(ledger.invoiceId))?.status, 'paid');
      const paid = await client.get('/console/invoices?status=paid');
      assert.ok(paid.text.includes(ledger.invoiceId));
      const submitted = await client.get('/console/invoices?status=submitted');
      assert.ok(!submitted.text.includes(ledger.invoiceId));
    });

    test('the dashboard: members, issuance and redemptions today and in 30 days, owed by currency', async () => {
      await seedLedger(backend, 'Tea Room');
      const page = await client.get('/console');
      const members = await backend.store.accounts.count('member');
      assert.match(page.text, new RegExp(`Members</p>\\s*<p class="stat-value">${members}<`));
      const issued = await backend.store.adminCredentials.countIssuedSince('2026-12-03T00:00:00.000Z');
      assert.match(page.text, new RegExp(`Credentials issued</p>\\s*<p class="stat-value">${issued} <span`));
      assert.match(page.text, /Credentials redeemed<\/p>\s*<p class="stat-value">\d+ <span/);
      // Owed: the open line of nothing (both ledgers' redemptions are invoiced), the unpaid invoice of
      // the second ledger (€1.00); the first was paid above.
      assert.match(page.text, /Owed to affiliates<\/p>\s*<p class="stat-value stat-money">€1\.00<\/p>/);
      const chart = /data-chart="([^"]+)"/.exec(page.text)?.[1] ?? '';
      const data = JSON.parse(chart.replaceAll('&quot;', '"'));
      assert.equal(data.days.length, 30);
      assert.equal(data.days.at(-1), '2026-12-03');
      assert.equal(data.issued.at(-1), issued);
      assert.match(page.text, /src="\/console\/static\/chart.umd.min.js"/);
      const chartJs = await client.get('/console/static/chart.umd.min.js');
      assert.equal(chartJs.status, 200);
      assert.match(chartJs.headers.get('content-type') ?? '', /javascript/);
    });

    test('lists page with a cursor, newest first, keeping their filters', async () => {
      for (let i = 0; i < 27; i++) {
        backend.clock.advance(1);
        await backend.store.affiliates.insert({
          id: `aff_page${String(i).padStart(4, '0')}xxxxxxxxxxxx`,
          name: `Paged ${i}`,
          origins: [`https://paged-${i}.example`],
          redeemUrl: null,
          contactEmail: null,
          createdAt: backend.clock.now().toISOString(),
          updatedAt: backend.clock.now().toISOString(),
        });
      }
      backend.clock.set(TEST_NOW);
      const first = await client.get('/console/affiliates');
      assert.ok(first.text.indexOf('Paged 26') < first.text.indexOf('Paged 25'));
      const next = /href="(\/console\/affiliates\?cursor=[^"]+)" rel="next"/.exec(first.text)?.[1];
      assert.ok(next);
      const second = await client.get(next.replaceAll('&amp;', '&'));
      assert.ok(second.text.includes('Paged 0'));
      assert.ok(!second.text.includes('Paged 26<'));
      assert.match(second.text, /href="\/console\/affiliates">First page/);
      const bad = await client.get('/console/affiliates?cursor=nonsense!');
      assert.equal(bad.status, 400);
    });

    test('unknown objects and paths are 404 pages in the console, not JSON', async () => {
      for (const path of [
        '/console/affiliates/aff_nope',
        '/console/benefits/ben_nope',
        '/console/credentials/crd_nope',
        '/console/redemptions/red_nope',
        '/console/invoices/inv_nope',
        '/console/nothing-here',
      ]) {
        const res = await client.get(path);
        assert.equal(res.status, 404, path);
        assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      }
    });

    test('the console sends the strict CSP and never sets the form parser on the JSON API', async () => {
      const res = await client.get('/console');
      assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
      const form = await backend.request('POST', '/v1/sessions', {
        body: 'email=a%40b.c&password=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(form.status, 400, 'the API still reads JSON only');
    });
  });
}
