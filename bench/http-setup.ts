import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../backend/src/clock.js';
import { migrateToLatest } from '../backend/src/db/migrate.js';
import { type OpenedDatabase, openDatabase } from '../backend/src/db/open-database.js';
import { registerAccount } from '../backend/src/domain/members/register-member.js';
import { createStore } from '../backend/src/store/store.js';
import { type ServeProcess, startServeProcess } from '../backend/src/test-support/serve-process.js';

export const BENCH_ISSUER = 'https://club.bench';
export const BENCH_ORIGIN = 'https://shop.bench';
const PASSWORD = 'correct horse battery staple';

import { jsonCall as call } from '../backend/src/test-support/json-call.js';

export { call };

export interface BenchClub {
  database: OpenedDatabase;
  url: string;
  servers: ServeProcess[];
  adminToken: string;
  memberToken: string;
  apiKey: string;
  benefitId: string;
  affiliateId: string;
  memberId: string;
  close(): Promise<void>;
}

/**
 * A club on `databaseUrl` served by `processes` real `serve` processes, with an admin, a member,
 * an affiliate (and its API key) and an unlimited benefit. Accounts are made in-process with a
 * cheap scrypt: the benchmark measures issuance and redemption, not sign-in.
 */
export async function startBenchClub(databaseUrl: string, processes: number): Promise<BenchClub> {
  const database = openDatabase(databaseUrl);
  await migrateToLatest(database.db);
  const store = createStore(database.db, database.kind);
  const deps = { store, clock: systemClock(), password: { N: 2 ** 10, r: 8, p: 1 } };
  const profile = (email: string) => ({
    email,
    password: PASSWORD,
    givenName: 'Ada',
    familyName: 'Lovelace',
    phoneNumber: null,
    address: null,
  });
  await registerAccount(deps, profile('admin@bench.test'), 'admin');
  const member = await registerAccount(deps, profile('member@bench.test'), 'member');
  const env = {
    DATABASE_URL: databaseUrl,
    CLUBPASS_ISSUER: BENCH_ISSUER,
    CLUBPASS_KEY_ENCRYPTION_KEY: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8',
    CLUBPASS_DATA_DIR: mkdtempSync(join(tmpdir(), 'clubpass-bench-')),
    LOG_LEVEL: 'error',
  };
  const servers = [await startServeProcess(env)];
  for (let i = 1; i < processes; i++) servers.push(await startServeProcess(env));
  const url = (servers[0] as ServeProcess).url;
  const adminToken = (await call(url, 'POST', '/v1/sessions', '', { email: 'admin@bench.test', password: PASSWORD }))
    .body.token;
  const memberToken = (await call(url, 'POST', '/v1/sessions', '', { email: 'member@bench.test', password: PASSWORD }))
    .body.token;
  const affiliate = await call(url, 'POST', '/v1/admin/affiliates', adminToken, {
    name: 'Bench Shop',
    origins: [BENCH_ORIGIN],
  });
  const benefit = await call(url, 'POST', '/v1/admin/benefits', adminToken, {
    affiliate_id: affiliate.body.id,
    kind: 'product_discount',
    title: '10 % off',
    terms: { percent_off: 10 },
    price: { amount: 250, currency: 'EUR' },
  });
  if (benefit.status !== 201) throw new Error(`benchmark setup failed: ${JSON.stringify(benefit.body)}`);
  return {
    database,
    url,
    servers,
    adminToken,
    memberToken,
    apiKey: affiliate.body.api_key,
    benefitId: benefit.body.id,
    affiliateId: affiliate.body.id,
    memberId: member.id,
    async close() {
      await Promise.all(servers.map((s) => s.stop()));
      await database.close();
    },
  };
}

/**
 * Runs `requests` with at most `concurrency` in flight and returns completed requests per second;
 * any answer other than `expected` stops the benchmark with the status and body.
 */
export async function drive<T>(
  items: T[],
  concurrency: number,
  send: (item: T) => Promise<{ status: number; body: unknown }>,
  expected: number,
): Promise<number> {
  const queue = [...items];
  const start = performance.now();
  async function lane() {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      const result = await send(item);
      if (result.status !== expected)
        throw new Error(`benchmark request failed: ${result.status} ${JSON.stringify(result.body)}`);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  return items.length / ((performance.now() - start) / 1000);
}
