// Exactly-once redemption across several `serve` processes sharing one PostgreSQL database, with
// and without one of them killed (SIGKILL) in the middle of the load (issue 4).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { type GeneratedKeyPair, generateKeyPair, presentCredential } from '@clubpass/shared';
import { sql } from 'kysely';
import { systemClock } from './clock.js';
import { registerAccount } from './domain/members/register-member.js';
import { createStore } from './store/store.js';
import { jsonCall as call } from './test-support/json-call.js';
import { type ServeProcess, startServeProcess } from './test-support/serve-process.js';
import { TEST_PASSWORD_PARAMS } from './test-support/test-backend.js';
import { createTestDatabase, type TestDatabase } from './test-support/test-database.js';

const CREDENTIALS = 100;
const ATTEMPTS_PER_CREDENTIAL = 15;
const ORIGIN = 'https://shop.multi.test';
const ISSUER = 'https://club.multi.test';
const PASSWORD = 'correct horse battery staple';

interface Network {
  database: TestDatabase;
  servers: ServeProcess[];
  apiKey: string;
  prepared: { credentialId: string; attempts: { server: number; body: unknown; key: string }[] }[];
  dataDir: string;
}

/** One PostgreSQL database, three serve processes, 100 credentials with 15 presentations each. */
async function setUpNetwork(): Promise<Network> {
  const database = await createTestDatabase('postgres');
  const store = createStore(database.db, 'postgres');
  const deps = { store, clock: systemClock(), password: TEST_PASSWORD_PARAMS };
  const account = (email: string) => ({
    email,
    password: PASSWORD,
    givenName: 'Ada',
    familyName: 'Lovelace',
    phoneNumber: null,
    address: null,
  });
  await registerAccount(deps, account('admin@multi.test'), 'admin');
  await registerAccount(deps, account('member@multi.test'), 'member');
  const dataDir = mkdtempSync(join(tmpdir(), 'clubpass-multi-'));
  const env = {
    DATABASE_URL: database.url,
    CLUBPASS_ISSUER: ISSUER,
    CLUBPASS_KEY_ENCRYPTION_KEY: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8',
    CLUBPASS_DATA_DIR: dataDir,
  };
  // The first process creates the signing key; the others then find it.
  const servers = [await startServeProcess(env)];
  servers.push(...(await Promise.all([startServeProcess(env), startServeProcess(env)])));
  const url = (i: number) => (servers[i % servers.length] as ServeProcess).url;

  const admin = (await call(url(0), 'POST', '/v1/sessions', '', { email: 'admin@multi.test', password: PASSWORD })).body
    .token;
  const affiliate = await call(url(1), 'POST', '/v1/admin/affiliates', admin, {
    name: 'Multi Shop',
    origins: [ORIGIN],
  });
  assert.equal(affiliate.status, 201, JSON.stringify(affiliate.body));
  const benefit = await call(url(2), 'POST', '/v1/admin/benefits', admin, {
    affiliate_id: affiliate.body.id,
    kind: 'free_goods',
    title: 'A free coffee',
    terms: { description: 'one coffee' },
    price: { amount: 180, currency: 'EUR' },
  });
  assert.equal(benefit.status, 201, JSON.stringify(benefit.body));
  const member = (await call(url(0), 'POST', '/v1/sessions', '', { email: 'member@multi.test', password: PASSWORD }))
    .body.token;
  const apiKey: string = affiliate.body.api_key;

  // Prepared before the timed part, ten credentials at a time.
  const prepare = async (c: number): Promise<Network['prepared'][number]> => {
    const holder: GeneratedKeyPair = await generateKeyPair('EdDSA', { extractable: false });
    const issued = await call(url(c), 'POST', '/v1/credentials', member, {
      benefit_id: benefit.body.id,
      holder_jwk: holder.publicJwk,
    });
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    const attempts = await Promise.all(
      Array.from({ length: ATTEMPTS_PER_CREDENTIAL }, async (_, a) => {
        const nonce = (await call(url(a), 'POST', '/v1/nonces', apiKey)).body.nonce as string;
        const presentation = await presentCredential({
          credential: issued.body.credential,
          disclose: [],
          keyBinding: { holder, origin: ORIGIN, nonce, clock: systemClock() },
        });
        return { server: a % servers.length, body: { presentation, nonce, origin: ORIGIN }, key: `multi-${c}-${a}` };
      }),
    );
    return { credentialId: issued.body.id, attempts };
  };
  const prepared: Network['prepared'] = [];
  for (let c = 0; c < CREDENTIALS; c += 10) {
    prepared.push(...(await Promise.all(Array.from({ length: 10 }, (_, i) => prepare(c + i)))));
  }
  return { database, servers, apiKey, prepared, dataDir };
}

async function tearDown(network: Network): Promise<void> {
  await Promise.all(network.servers.map((s) => s.stop()));
  await network.database.dispose();
  rmSync(network.dataDir, { recursive: true, force: true });
}

/** Fires every prepared attempt, 15 parallel per credential and 5 credentials at a time. */
async function fire(network: Network, onProgress: (done: number) => void = () => {}) {
  const outcomes = new Map<string, (number | 'network')[]>();
  let done = 0;
  const queue = [...network.prepared];
  async function lane() {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      const results = await Promise.all(
        item.attempts.map(async (a) => {
          try {
            const server = network.servers[a.server] as ServeProcess;
            return (
              await call(server.url, 'POST', '/v1/redemptions', network.apiKey, a.body, { 'idempotency-key': a.key })
            ).status;
          } catch {
            return 'network' as const;
          }
        }),
      );
      outcomes.set(item.credentialId, results);
      onProgress(++done);
    }
  }
  await Promise.all(Array.from({ length: 5 }, lane));
  return outcomes;
}

async function ledgerInvariants(database: TestDatabase) {
  const db = database.db;
  const perCredential = await db
    .selectFrom('redemptions')
    .select(['credential_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('voided_at', 'is', null)
    .groupBy('credential_id')
    .execute();
  const orphanLines = await db
    .selectFrom('billing_lines')
    .leftJoin('redemptions', 'redemptions.id', 'billing_lines.redemption_id')
    .select('billing_lines.id')
    .where('redemptions.id', 'is', null)
    .execute();
  const unbilled = await db
    .selectFrom('redemptions')
    .leftJoin('billing_lines', 'billing_lines.redemption_id', 'redemptions.id')
    .select('redemptions.id')
    .where('billing_lines.id', 'is', null)
    .execute();
  const statusDrift = await sql<{ id: string }>`
    select c.id from credentials c
    where (c.status = 'redeemed') <> exists (select 1 from redemptions r where r.credential_id = c.id and r.voided_at is null)`.execute(
    db,
  );
  const lines = await db
    .selectFrom('billing_lines')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return { perCredential, orphanLines, unbilled, statusDrift: statusDrift.rows, billingLines: Number(lines.n) };
}

const postgres = process.env.TEST_DATABASE_URL
  ? false
  : 'needs PostgreSQL: TEST_DATABASE_URL is not set (.ci/run sets it)';

describe('several serve processes on one PostgreSQL database', { skip: postgres, timeout: 240_000 }, () => {
  test('100 credentials x 15 parallel redemptions over 3 processes: exactly one win each', async () => {
    const network = await setUpNetwork();
    try {
      const outcomes = await fire(network);
      let wins = 0;
      for (const [credentialId, statuses] of outcomes) {
        const won = statuses.filter((s) => s === 201).length;
        assert.equal(won, 1, `${credentialId}: ${statuses.join(',')}`);
        assert.ok(
          statuses.every((s) => s === 201 || s === 409),
          `${credentialId}: only 201 and 409 already_redeemed expected, got ${statuses.join(',')}`,
        );
        wins += won;
      }
      assert.equal(wins, CREDENTIALS);
      const ledger = await ledgerInvariants(network.database);
      assert.equal(ledger.perCredential.length, CREDENTIALS);
      assert.ok(ledger.perCredential.every((r) => Number(r.n) === 1));
      assert.equal(ledger.billingLines, wins, 'billing lines equal wins');
      assert.deepEqual(ledger.orphanLines, []);
      assert.deepEqual(ledger.unbilled, []);
      assert.deepEqual(ledger.statusDrift, []);
    } finally {
      await tearDown(network);
    }
  });

  test('kill -9 of one process mid-load leaves a consistent ledger', async () => {
    const network = await setUpNetwork();
    try {
      const victim = network.servers[2] as ServeProcess;
      const outcomes = await fire(network, (done) => {
        if (done === Math.floor(CREDENTIALS / 3)) victim.child.kill('SIGKILL');
      });
      assert.equal(victim.child.signalCode, 'SIGKILL', 'the third process was killed mid-load');
      const statuses = [...outcomes.values()].flat();
      assert.ok(statuses.includes('network'), 'requests to the killed process failed');
      assert.ok(
        !statuses.some((s) => typeof s === 'number' && s >= 500),
        `no 5xx: ${statuses.filter((s) => s !== 201 && s !== 409)}`,
      );
      const ledger = await ledgerInvariants(network.database);
      assert.ok(
        ledger.perCredential.every((r) => Number(r.n) <= 1),
        'at most one live redemption per credential',
      );
      assert.deepEqual(ledger.orphanLines, [], 'every billing line has its redemption');
      assert.deepEqual(ledger.unbilled, [], 'every redemption has its billing line');
      assert.deepEqual(ledger.statusDrift, [], 'credential status agrees with the ledger');
      const wins = statuses.filter((s) => s === 201).length;
      // A win answered by the killed process may have been lost in flight, never the other way.
      assert.ok(
        ledger.perCredential.length >= wins,
        `${ledger.perCredential.length} redemptions for ${wins} answered wins`,
      );
      network.servers.pop(); // already dead
    } finally {
      await tearDown(network);
    }
  });
});
