import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { recordAudit } from '../domain/admin/record-audit.js';
import type { ListedAuditEntry } from '../store/audit-store.js';
import { signInAdmin } from '../test-support/test-accounts.js';
import { startTestBackend, TEST_NOW, type TestBackend } from '../test-support/test-backend.js';
import { testDatabaseKinds } from '../test-support/test-database.js';
import { adminConsole, ConsoleClient, createAdmin, type SeededLedger, seedLedger } from './console-test-client.js';

const LOOPBACK = /^(?:::ffff:)?127\.0\.0\.1$|^::1$/;

for (const kind of testDatabaseKinds()) {
  describe(`audit log on ${kind}`, () => {
    let backend: TestBackend;
    before(async () => {
      backend = await startTestBackend(kind);
    });
    after(() => backend.close());

    // The test clock stands still, so entries of one test share their time: they are compared as
    // sets of actions, and "new" means not among the ids seen before.
    const all = async () => (await backend.store.audit.list({ limit: 500, after: null })).items;
    const mark = async () => new Set((await all()).map((e) => e.id));
    const entriesSince = async (seen: Set<string>) => (await all()).filter((e) => !seen.has(e.id));
    const actions = (entries: ListedAuditEntry[]) => entries.map((e) => e.action).sort();
    const count = async () => (await all()).length;
    const accountId = async (email: string) => (await backend.store.accounts.findByEmail(email))?.id;

    test('the store is append-only: insert and list, no way to change or remove an entry', () => {
      assert.deepEqual(Object.keys(backend.store.audit).sort(), ['insert', 'list']);
    });

    test('lists newest first with its own cursor, and names the actor', async () => {
      const email = await createAdmin(backend);
      const actor = { accountId: (await accountId(email)) as string, ip: '203.0.113.9' };
      const start = await count();
      try {
        for (let i = 0; i < 5; i++) {
          backend.clock.advance(1);
          await recordAudit(backend.deps, actor, { action: 'invoice.paid', target: `inv_${i}`, detail: { n: i } });
        }
      } finally {
        backend.clock.set(TEST_NOW);
      }
      const first = await backend.store.audit.list({ limit: 3, after: null });
      assert.deepEqual(
        first.items.map((e) => e.target),
        ['inv_4', 'inv_3', 'inv_2'],
      );
      assert.ok(first.nextCursor);
      const last = first.items[2] as ListedAuditEntry;
      const second = await backend.store.audit.list({ limit: 3, after: { at: last.at, id: last.id } });
      assert.deepEqual(
        second.items.slice(0, 2).map((e) => e.target),
        ['inv_1', 'inv_0'],
      );
      assert.equal(first.items[0]?.actorEmail, email);
      assert.equal(first.items[0]?.ip, '203.0.113.9');
      assert.deepEqual(first.items[0]?.detail, { n: 4 });
      assert.equal((await count()) - start, 5);
    });

    test('a secret never reaches the log, even if a caller passes one', async () => {
      const email = await createAdmin(backend);
      await recordAudit(
        backend.deps,
        { accountId: (await accountId(email)) as string, ip: null },
        {
          action: 'api_key.create',
          target: 'key_x',
          detail: { note: 'cpk_AAAAAAAAAAAAAAAAAAAA', list: ['ok', 'Bearer cps_BBBBBBBB'], n: 1 },
        },
      );
      const entry = (await all()).find((e) => e.target === 'key_x');
      assert.deepEqual(entry?.detail, { note: '[redacted]', list: ['ok', '[redacted]'], n: 1 });
    });

    test('every admin action in the console is recorded once: who, what, which object, when, from where', async () => {
      const { client, csrf, email } = await adminConsole(backend);
      const adminId = (await accountId(email)) as string;
      const ledger: SeededLedger = await seedLedger(backend, 'Audit Shop');
      const start = await mark();

      const created = await client.post(
        '/console/affiliates',
        { name: 'Console Shop', origins: 'https://console-shop.example' },
        csrf,
      );
      assert.equal(created.status, 200);
      const apiKey = /value="(cpk_[A-Za-z0-9_-]+)"/.exec(created.text)?.[1] as string;
      assert.ok(apiKey, 'the new key is on the page');
      const affiliate = (await backend.store.affiliates.listAll()).find((a) => a.name === 'Console Shop');
      assert.ok(affiliate);
      const steps: [string, Record<string, string>][] = [
        [`/console/affiliates/${affiliate.id}`, { name: 'Console Shop 2', origins: 'https://console-shop.example' }],
        [`/console/affiliates/${affiliate.id}/api-keys`, {}],
        [
          '/console/benefits',
          {
            affiliate_id: affiliate.id,
            kind: 'product_discount',
            title: '10 % off',
            percent_off: '10',
            price: '2.50',
            currency: 'EUR',
            ttl_days: '30',
          },
        ],
      ];
      let secondKey = '';
      for (const [path, form] of steps) {
        const res = await client.post(path, form, csrf);
        assert.ok(res.status === 303 || res.status === 200, `${path}: ${res.status} ${res.text.slice(0, 400)}`);
        secondKey ||= /value="(cpk_[A-Za-z0-9_-]+)"/.exec(res.text)?.[1] ?? '';
      }
      const benefit = (await backend.store.benefits.list({ limit: 1, after: null }, { affiliateId: affiliate.id }))
        .items[0];
      assert.ok(benefit);
      const keys = await backend.store.affiliates.listApiKeys(affiliate.id);
      const more: [string, Record<string, string>][] = [
        [
          `/console/benefits/${benefit.id}`,
          {
            kind: 'product_discount',
            title: '15 % off',
            percent_off: '15',
            price: '2.50',
            currency: 'EUR',
            ttl_days: '30',
          },
        ],
        [`/console/benefits/${benefit.id}/withdraw`, {}],
        [`/console/benefits/${benefit.id}/reinstate`, {}],
        [`/console/affiliates/${affiliate.id}/api-keys/${keys[0]?.id}/revoke`, {}],
        [`/console/credentials/${ledger.spare.credentialId}/revoke`, {}],
        ['/console/keys/rotate', {}],
        [`/console/invoices/${ledger.invoiceId}/approve`, {}],
        [`/console/invoices/${ledger.invoiceId}/paid`, {}],
        ['/console/sign-out', {}],
      ];
      for (const [path, form] of more) {
        const res = await client.post(path, form, csrf);
        assert.equal(res.status, 303, `${path}: ${res.text.slice(0, 400)}`);
      }

      const entries = await entriesSince(start);
      assert.deepEqual(
        actions(entries),
        [
          'affiliate.create',
          'affiliate.update',
          'api_key.create',
          'benefit.create',
          'benefit.update',
          'benefit.withdraw',
          'benefit.reinstate',
          'api_key.revoke',
          'credential.revoke',
          'signing_key.rotate',
          'invoice.approve',
          'invoice.paid',
          'admin.sign_out',
        ].sort(),
      );
      for (const entry of entries) {
        assert.equal(entry.actorId, adminId, entry.action);
        assert.equal(entry.actorEmail, email);
        assert.match(entry.ip ?? '', LOOPBACK, entry.action);
        assert.ok(entry.target, entry.action);
        assert.match(entry.at, /^\d{4}-\d\d-\d\dT/);
      }
      const byAction = new Map(entries.map((e) => [e.action, e]));
      assert.equal(byAction.get('affiliate.create')?.target, affiliate.id);
      assert.deepEqual(byAction.get('affiliate.create')?.detail.origins, ['https://console-shop.example']);
      assert.equal(byAction.get('affiliate.update')?.detail.name, 'Console Shop 2');
      assert.equal(byAction.get('benefit.create')?.target, benefit.id);
      assert.equal(byAction.get('credential.revoke')?.target, ledger.spare.credentialId);
      assert.equal(byAction.get('invoice.approve')?.target, ledger.invoiceId);
      assert.equal(byAction.get('admin.sign_out')?.detail.via, 'console');
      assert.equal(byAction.get('signing_key.rotate')?.target, (await backend.keyRing.current()).kid);

      // Nothing secret anywhere in the log: neither API key, nor any session token or CSRF token.
      const rows = JSON.stringify(await backend.database.db.selectFrom('audit_log').selectAll().execute());
      for (const secret of [apiKey, secondKey, ledger.affiliate.apiKey, csrf]) {
        assert.ok(secret && !rows.includes(secret), 'a secret is in the audit log');
      }
      assert.doesNotMatch(rows, /cps_|cpk_/);
    });

    test('console sign-in is recorded; a failed or refused one is not an admin action', async () => {
      const email = await createAdmin(backend);
      const start = await mark();
      const client = new ConsoleClient(backend);
      assert.equal((await client.signIn(email, 'wrong password')).status, 401);
      assert.equal((await client.signIn(email)).status, 303);
      const entries = await entriesSince(start);
      assert.deepEqual(
        entries.map((e) => [e.action, e.target, e.detail.via]),
        [['admin.sign_in', await accountId(email), 'console']],
      );
    });

    test('the JSON admin API records the same actions in the same place', async () => {
      const start = await mark();
      const token = await signInAdmin(backend);
      const ledger = await seedLedger(backend, 'API Shop'); // signs in another admin and creates through the API
      const call = async (method: string, path: string, body?: unknown) => {
        const res = await backend.request(method, path, { token, ...(body === undefined ? {} : { body }) });
        assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
        return res.body;
      };
      const affiliate = await call('POST', '/v1/admin/affiliates', {
        name: 'API 2',
        origins: ['https://api-2.example'],
      });
      await call('PATCH', `/v1/admin/affiliates/${affiliate.id}`, { name: 'API 2 renamed' });
      const key = await call('POST', `/v1/admin/affiliates/${affiliate.id}/api-keys`);
      await call('DELETE', `/v1/admin/affiliates/${affiliate.id}/api-keys/${key.id}`);
      const benefit = await call('POST', '/v1/admin/benefits', {
        affiliate_id: affiliate.id,
        kind: 'prize',
        title: 'Mug',
        terms: { description: 'A mug' },
        price: { amount: 100, currency: 'EUR' },
      });
      await call('PATCH', `/v1/admin/benefits/${benefit.id}`, { active: false });
      await call('PATCH', `/v1/admin/benefits/${benefit.id}`, { title: 'Big mug' });
      await call('POST', `/v1/admin/credentials/${ledger.spare.credentialId}/revoke`);
      await call('POST', '/v1/admin/keys/rotate');
      await call('POST', `/v1/admin/invoices/${ledger.invoiceId}/approve`);
      await call('POST', `/v1/admin/invoices/${ledger.invoiceId}/paid`);
      await call('DELETE', '/v1/sessions/current');

      const entries = await entriesSince(start);
      const me = entries.find((e) => e.action === 'admin.sign_out')?.actorId;
      const mine = entries.filter((e) => e.actorId === me);
      assert.deepEqual(
        actions(mine),
        [
          'admin.sign_in',
          'affiliate.create',
          'affiliate.update',
          'api_key.create',
          'api_key.revoke',
          'benefit.create',
          'benefit.withdraw',
          'benefit.update',
          'credential.revoke',
          'signing_key.rotate',
          'invoice.approve',
          'invoice.paid',
          'admin.sign_out',
        ].sort(),
      );
      for (const entry of mine.filter((e) => e.action.startsWith('admin.'))) assert.equal(entry.detail.via, 'api');
      assert.deepEqual(mine.find((e) => e.action === 'benefit.update')?.detail.fields, ['title']);
      for (const entry of mine) assert.match(entry.ip ?? '', LOOPBACK);
      // The fixture's own admin made its affiliate and benefit through the API: recorded too.
      const fixture = entries.filter((e) => e.actorId !== me);
      assert.deepEqual(actions(fixture), ['admin.sign_in', 'affiliate.create', 'benefit.create']);
      const rows = JSON.stringify(await backend.database.db.selectFrom('audit_log').selectAll().execute());
      assert.ok(!rows.includes(key.api_key) && !rows.includes(token));
      // A failed action leaves no entry.
      const before = await count();
      const conflict = await backend.request('POST', `/v1/admin/invoices/${ledger.invoiceId}/approve`, {
        token: await signInAdmin(backend),
      });
      assert.equal(conflict.status, 409);
      assert.equal(await count(), before + 1, 'only the second admin’s sign-in');
    });

    test('the audit page lists the entries with who, what, object, details and address', async () => {
      const { client } = await adminConsole(backend);
      const page = await client.get('/console/audit');
      assert.equal(page.status, 200);
      assert.match(page.text, /<h1>Audit log<\/h1>/);
      for (const text of ['admin.sign_in', 'affiliate.create', 'invoice.paid', 'signing_key.rotate', '127.0.0.1']) {
        assert.ok(page.text.includes(text), text);
      }
      assert.doesNotMatch(page.text, /<form method="post" action="\/console\/audit/);
    });
  });
}
