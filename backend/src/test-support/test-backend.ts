import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { type ManualClock, manualClock } from '../clock.js';
import type { DatabaseKind } from '../db/open-database.js';
import type { AppDeps, PasswordParams } from '../http/app-deps.js';
import { createApp } from '../http/create-app.js';
import { createKeyRing, type RotatingKeyRing } from '../keys/create-key-ring.js';
import { createKeySealer } from '../keys/key-sealer.js';
import { createStore, type Store } from '../store/store.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** The frozen start time of every backend test. */
export const TEST_NOW = '2026-12-03T12:00:00.000Z';
export const TEST_ISSUER = 'https://club.test';
/** The fixed pairwise-subject key of test backends, so tests can recompute a `sub`. */
export const TEST_SUBJECT_KEY = new Uint8Array(32).fill(11);

/**
 * Cheap scrypt for tests that register many accounts; one test checks the production cost
 * (PRODUCTION_PASSWORD_PARAMS) separately.
 */
export const TEST_PASSWORD_PARAMS: PasswordParams = { N: 2 ** 10, r: 8, p: 1 };

export interface TestBackend {
  url: string;
  store: Store;
  clock: ManualClock;
  keyRing: RotatingKeyRing;
  deps: AppDeps;
  database: TestDatabase;
  /** fetch against the backend, JSON in and out. */
  request(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/** Starts the real app on an ephemeral port over a fresh database of `kind`, with a frozen clock. */
export async function startTestBackend(
  kind: DatabaseKind,
  options: { password?: PasswordParams } = {},
): Promise<TestBackend> {
  const database = await createTestDatabase(kind);
  const store = createStore(database.db, database.kind);
  const clock = manualClock(TEST_NOW);
  const keyRing = createKeyRing({ store, clock, sealer: createKeySealer(new Uint8Array(32).fill(7)), alg: 'EdDSA' });
  const deps: AppDeps = {
    store,
    clock,
    keyRing,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    issuer: TEST_ISSUER,
    password: options.password ?? TEST_PASSWORD_PARAMS,
    subjectKey: TEST_SUBJECT_KEY,
    trustProxy: false,
  };
  const app = createApp(deps);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    store,
    clock,
    keyRing,
    deps,
    database,
    async request(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.body !== undefined) headers['content-type'] ??= 'application/json';
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      const response = await fetch(`${url}${path}`, {
        method,
        headers,
        body:
          opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text === '' ? null : JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body, headers: response.headers };
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await database.dispose();
    },
  };
}
