// Seeds the demo network into a running club, idempotently: an admin, the two demo merchants
// (affiliates with one benefit each) and a demo member. What only the seed knows (the admin
// password, the affiliates' API keys) is kept in <dataDir>/seed.json (mode 0600), so a restart
// reuses it instead of creating everything again.
//
// Used by scripts/start-demo.ts. On its own, against a club already running on the demo database:
//   DATABASE_URL=data/demo/clubpass.sqlite CLUBPASS_DATA_DIR=data/demo node --import tsx scripts/seed-demo.ts
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MERCHANTS, type MerchantMode } from '../examples/demo-shop/src/merchants.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const DEMO_ADMIN_EMAIL = 'admin@clubpass.test';
export const DEMO_MEMBER_EMAIL = 'member@clubpass.test';
export const DEMO_MEMBER_PASSWORD = 'clubpass-demo';
/** The PIN of the link credential printed for members without the extension. */
export const DEMO_LINK_PIN = '2468';

/** Each demo merchant's benefit, as the club's admin API takes it (PROTOCOL.md §8). */
export const DEMO_BENEFITS: Record<MerchantMode, { title: string } & Record<string, unknown>> = {
  shop: {
    kind: 'product_discount',
    title: '15 % off everything',
    description: 'Members save 15 % on any order at Hollow Pine Goods.',
    terms: { percent_off: 15 },
    price: { amount: 300, currency: 'EUR' },
    requires: ['given_name', 'family_name', 'address'],
  },
  cafe: {
    kind: 'free_goods',
    title: 'A free coffee',
    description: 'One coffee of your choice at Café Luma, on the club.',
    terms: { description: 'One coffee of your choice' },
    price: { amount: 250, currency: 'EUR' },
    requires: ['given_name'],
  },
};

export interface SeededAffiliate {
  id: string;
  api_key: string;
  benefit_id: string;
  origin: string;
}

export interface DemoSeed {
  admin: { email: string; password: string };
  member: { email: string; password: string };
  affiliates: Partial<Record<MerchantMode, SeededAffiliate>>;
}

export interface SeedOptions {
  clubUrl: string;
  dataDir: string;
  /** The public origin of each demo merchant, e.g. http://127.0.0.1:3001. */
  origins: Record<MerchantMode, string>;
  /** Environment for the backend CLI (DATABASE_URL, CLUBPASS_DATA_DIR), which creates the admin. */
  cliEnv: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

/** A failure the person running the demo can act on; the message says how. */
export class SeedError extends Error {
  override readonly name = 'SeedError';
}

// biome-ignore lint/suspicious/noExplicitAny: the club's JSON replies are read loosely here
type Reply = { status: number; body: Record<string, any> };

async function call(clubUrl: string, method: string, path: string, token?: string, body?: unknown): Promise<Reply> {
  const response = await fetch(`${clubUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

function expect(reply: Reply, statuses: number[], what: string): Reply {
  if (!statuses.includes(reply.status)) {
    throw new SeedError(`${what} failed (${reply.status}): ${reply.body.detail ?? JSON.stringify(reply.body)}`);
  }
  return reply;
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'backend/src/cli.ts', ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('close', (code) => done({ code: code ?? 1, output }));
  });
}

function readSeed(file: string): Partial<DemoSeed> {
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Partial<DemoSeed>;
  } catch {
    throw new SeedError(`${file} is not valid JSON: delete it, or the whole demo data folder, to start afresh`);
  }
}

function writeSeed(file: string, seed: DemoSeed): void {
  // The file holds the admin password and API keys: readable by its owner only.
  writeFileSync(file, `${JSON.stringify(seed, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** Seeds the demo; safe to run on every start. Returns what the demo prints and the merchants need. */
export async function seedDemo(options: SeedOptions): Promise<DemoSeed> {
  const { clubUrl, dataDir, log = () => {} } = options;
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'seed.json');
  const previous = readSeed(file);
  const seed: DemoSeed = {
    admin: previous.admin ?? { email: DEMO_ADMIN_EMAIL, password: randomBytes(12).toString('base64url') },
    member: previous.member ?? { email: DEMO_MEMBER_EMAIL, password: DEMO_MEMBER_PASSWORD },
    affiliates: previous.affiliates ?? {},
  };
  writeSeed(file, seed); // before anything else, so a new admin password is never lost

  // The admin: sign in, or create it with the backend CLI (there is no API to create admins).
  let signIn = await call(clubUrl, 'POST', '/v1/sessions', undefined, seed.admin);
  if (signIn.status === 401) {
    const created = await runCli(
      ['admin', 'create', '--email', seed.admin.email, '--password', seed.admin.password],
      options.cliEnv,
    );
    if (created.code !== 0) {
      throw new SeedError(
        `could not create the demo admin: ${created.output.trim()}\n` +
          `  If the demo database already has ${seed.admin.email} with another password, delete ${dataDir} to start afresh.`,
      );
    }
    log(`created admin ${seed.admin.email}`);
    signIn = await call(clubUrl, 'POST', '/v1/sessions', undefined, seed.admin);
  }
  const admin = expect(signIn, [201], `signing in as ${seed.admin.email}`).body.token as string;

  for (const mode of ['shop', 'cafe'] as const) {
    const merchant = MERCHANTS[mode];
    const origin = options.origins[mode];
    const wanted = { origins: [origin], redeem_url: `${origin}/redeem` };
    let affiliate = seed.affiliates[mode];
    const found = affiliate && (await call(clubUrl, 'GET', `/v1/admin/affiliates/${affiliate.id}`, admin));
    if (!affiliate || found?.status !== 200) {
      const created = expect(
        await call(clubUrl, 'POST', '/v1/admin/affiliates', admin, { name: merchant.name, ...wanted }),
        [201],
        `registering ${merchant.name}`,
      ).body;
      affiliate = { id: created.id, api_key: created.api_key, benefit_id: '', origin };
      log(`registered ${merchant.name} (${created.id}) at ${origin}`);
    } else if (JSON.stringify(found.body.origins) !== JSON.stringify(wanted.origins)) {
      // The merchant moved to another port: the club must know its new origin.
      expect(await call(clubUrl, 'PATCH', `/v1/admin/affiliates/${affiliate.id}`, admin, wanted), [200], 'moving');
      affiliate.origin = origin;
      log(`moved ${merchant.name} to ${origin}`);
    }
    // The stored API key may have been revoked by hand: issue a new one if it no longer works.
    if ((await call(clubUrl, 'POST', '/v1/nonces', affiliate.api_key)).status === 401) {
      const key = await call(clubUrl, 'POST', `/v1/admin/affiliates/${affiliate.id}/api-keys`, admin);
      affiliate.api_key = expect(key, [201], `a new API key for ${merchant.name}`).body.api_key;
      log(`issued a new API key for ${merchant.name}`);
    }
    const benefit = affiliate.benefit_id
      ? await call(clubUrl, 'GET', `/v1/admin/benefits/${affiliate.benefit_id}`, admin)
      : null;
    if (benefit?.status !== 200) {
      const created = await call(clubUrl, 'POST', '/v1/admin/benefits', admin, {
        affiliate_id: affiliate.id,
        ...DEMO_BENEFITS[mode],
      });
      affiliate.benefit_id = expect(created, [201], `the benefit of ${merchant.name}`).body.id;
      log(`created the benefit "${DEMO_BENEFITS[mode].title}" at ${merchant.name}`);
    }
    seed.affiliates[mode] = affiliate;
    writeSeed(file, seed);
  }

  // The member, with an address so the shop can ship.
  if ((await call(clubUrl, 'POST', '/v1/sessions', undefined, seed.member)).status !== 201) {
    const created = await call(clubUrl, 'POST', '/v1/members', undefined, {
      ...seed.member,
      given_name: 'Ada',
      family_name: 'Lovelace',
      phone_number: '+49 30 1234567',
      address: { street_address: 'Hauptstraße 5', postal_code: '10115', locality: 'Berlin', country: 'DE' },
    });
    if (created.status === 409) {
      log(`! ${seed.member.email} exists with another password; delete ${dataDir} to reset the demo`);
    } else {
      expect(created, [201], `registering ${seed.member.email}`);
      log(`registered member ${seed.member.email}`);
    }
  }
  return seed;
}

/**
 * A fresh link credential (PROTOCOL.md §9) of the demo member for the café's free coffee: what a
 * member without the extension would get from the club, to open in any browser.
 */
export async function demoLink(clubUrl: string, seed: DemoSeed): Promise<string | null> {
  const session = await call(clubUrl, 'POST', '/v1/sessions', undefined, seed.member);
  const benefitId = seed.affiliates.cafe?.benefit_id;
  if (session.status !== 201 || !benefitId) return null;
  const issued = await call(clubUrl, 'POST', '/v1/credentials', session.body.token, {
    benefit_id: benefitId,
    pin: DEMO_LINK_PIN,
  });
  return issued.status === 201 ? (issued.body.link ?? null) : null;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const clubUrl = process.env.CLUB_URL ?? 'http://127.0.0.1:8080';
  const seed = await seedDemo({
    clubUrl,
    dataDir: resolve(process.env.DEMO_DATA_DIR ?? 'data/demo'),
    origins: { shop: 'http://127.0.0.1:3001', cafe: 'http://127.0.0.1:3002' },
    cliEnv: process.env,
    log: (line) => console.log(line),
  });
  console.log(JSON.stringify({ ...seed, affiliates: Object.keys(seed.affiliates) }, null, 2));
}
