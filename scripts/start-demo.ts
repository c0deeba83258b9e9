// `npm start`: the whole demo network on one machine. Builds the extension if needed, starts the
// club backend on its own SQLite database under ./data/demo, seeds it (scripts/seed-demo.ts),
// starts the two demo merchants, and prints where everything is. Ctrl-C or SIGTERM stops it all.
//
// Ports: CLUB_PORT (8080), SHOP_PORT (3001), CAFE_PORT (3002). SKIP_EXTENSION_BUILD=1 skips the build.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MERCHANTS, type MerchantMode } from '../examples/demo-shop/src/merchants.js';
import { DEMO_BENEFITS, DEMO_LINK_PIN, type DemoSeed, demoLink, SeedError, seedDemo } from './seed-demo.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA_DIR = join(ROOT, 'data', 'demo');
const EXTENSION_DIR = join(ROOT, 'extension', '.output', 'chrome-mv3');
const HOST = '127.0.0.1';

const step = (line: string) => console.log(`→ ${line}`);
const done = (line: string) => console.log(`✓ ${line}`);
const note = (line: string) => console.log(`! ${line}`);

/** Stops the demo with a message saying what to do. */
class DemoError extends Error {}

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 65535) {
    throw new DemoError(`${name}="${raw}" is not a TCP port: set it to a whole number from 1 to 65535.`);
  }
  return value;
}

function readPorts() {
  try {
    return { club: port('CLUB_PORT', 8080), shop: port('SHOP_PORT', 3001), cafe: port('CAFE_PORT', 3002) };
  } catch (error) {
    console.error(`✗ ${(error as Error).message}`);
    process.exit(1);
  }
}

const ports = readPorts();
const clubUrl = `http://${HOST}:${ports.club}`;
const origins: Record<MerchantMode, string> = {
  shop: `http://${HOST}:${ports.shop}`,
  cafe: `http://${HOST}:${ports.cafe}`,
};
const clubEnv: NodeJS.ProcessEnv = {
  ...process.env,
  PORT: String(ports.club),
  HOST,
  CLUBPASS_ISSUER: clubUrl,
  DATABASE_URL: join(DATA_DIR, 'clubpass.sqlite'),
  CLUBPASS_DATA_DIR: DATA_DIR,
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
};

// ---- child processes ----

const children: { name: string; child: ChildProcess }[] = [];
let stopping = false;

/** Starts a long-running child; its output is shown with a [name] prefix. */
function startChild(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) => {
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) out.write(`[${name}] ${line}\n`);
    });
  };
  prefix(child.stdout as NodeJS.ReadableStream, process.stdout);
  prefix(child.stderr as NodeJS.ReadableStream, process.stderr);
  child.on('exit', (code, signal) => {
    // On Ctrl-C the whole process group gets SIGINT: a child may exit just before we hear of it.
    setTimeout(() => {
      if (stopping) return;
      console.error(`\n[${name}] stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping the demo.`);
      void stopAll(1);
    }, 300);
  });
  children.push({ name, child });
  return child;
}

async function stopAll(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    const running = children.filter(({ child }) => child.exitCode === null && child.signalCode === null);
    if (running.length > 0) step(`Stopping ${running.map((c) => c.name).join(', ')}…`);
    await Promise.all(
      running.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(force);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  }
  process.exit(exitCode);
}

/** Polls `url` until it answers 200; fails early if the child exits. */
async function waitUntilUp(name: string, child: ChildProcess, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new DemoError(`${name} exited during start-up (see its output above).`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new DemoError(`${name} did not answer at ${url} within ${timeoutMs / 1000} s.`);
}

function portIsFree(value: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(value, HOST, () => probe.close(() => resolve(true)));
  });
}

// ---- steps ----

async function buildExtension(): Promise<void> {
  if (existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    done(`Extension already built: ${relative(ROOT, EXTENSION_DIR)}`);
    return;
  }
  if (process.env.SKIP_EXTENSION_BUILD) {
    note('Extension build skipped (SKIP_EXTENSION_BUILD is set).');
    return;
  }
  const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts ?? {};
  const extensionPackage = join(ROOT, 'extension', 'package.json');
  const hasBuild =
    scripts['build:extension'] &&
    existsSync(extensionPackage) &&
    JSON.parse(readFileSync(extensionPackage, 'utf8')).scripts?.build;
  if (!hasBuild) {
    note('Extension not built: there is no "build:extension" script yet. The shops still work with link credentials.');
    return;
  }
  step('Building the extension (npm run build:extension)… this takes a minute the first time');
  const log = join(DATA_DIR, 'extension-build.log');
  const code = await new Promise<number>((resolve) => {
    const child = spawn('npm', ['run', 'build:extension'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.on('close', (status) => {
      writeFileSync(log, output);
      resolve(status ?? 1);
    });
    child.on('error', () => resolve(1));
  });
  if (code === 0 && existsSync(join(EXTENSION_DIR, 'manifest.json'))) done('Extension built');
  else {
    note(`The extension build failed; the demo runs without it. Details: ${relative(ROOT, log)}`);
    note('Fix the build, then run "npm run build:extension" and load the folder below.');
  }
}

async function checkPorts(): Promise<void> {
  const wanted: [string, number, string][] = [
    ['the club', ports.club, 'CLUB_PORT'],
    [MERCHANTS.shop.name, ports.shop, 'SHOP_PORT'],
    [MERCHANTS.cafe.name, ports.cafe, 'CAFE_PORT'],
  ];
  if (new Set(wanted.map(([, p]) => p)).size !== wanted.length) {
    throw new DemoError('CLUB_PORT, SHOP_PORT and CAFE_PORT must be three different ports.');
  }
  for (const [what, value, variable] of wanted) {
    if (!(await portIsFree(value))) {
      throw new DemoError(
        `Port ${value} (for ${what}) is in use. Stop what runs there (another "npm start"?) or set ${variable} to a free port, e.g. ${variable}=${value + 10} npm start`,
      );
    }
  }
}

function printSummary(seed: DemoSeed, link: string | null): void {
  const extension = existsSync(join(EXTENSION_DIR, 'manifest.json'));
  const pad = (label: string) => label.padEnd(19);
  const lines = [
    '',
    'Clubpass demo is running. Press Ctrl-C to stop.',
    '',
    `  ${pad('Club')}${clubUrl}`,
    `  ${pad(MERCHANTS.shop.name)}${origins.shop}   members: ${DEMO_BENEFITS.shop.title}`,
    `  ${pad(MERCHANTS.cafe.name)}${origins.cafe}   members: ${DEMO_BENEFITS.cafe.title.toLowerCase()}`,
    `  ${pad('')}${origins.shop}/orders and ${origins.cafe}/orders: orders and "Bill the club"`,
    '',
    `  ${pad('Member')}${seed.member.email} / ${seed.member.password}   (sign in in the extension)`,
    `  ${pad('Admin')}${seed.admin.email} / ${seed.admin.password}`,
    '',
    extension
      ? `  ${pad('Extension')}${EXTENSION_DIR}\n  ${pad('')}chrome://extensions → Developer mode → Load unpacked → choose that folder`
      : `  ${pad('Extension')}not built yet: run "npm run build:extension", then load ${EXTENSION_DIR}`,
    // The extension talks to http://127.0.0.1:8080 unless told otherwise.
    ...(ports.club === 8080 ? [] : [`  ${pad('')}then set the club address to ${clubUrl} on its options page`]),
    '',
    ...(link
      ? [`  ${pad('No extension?')}Open this link for a free coffee (PIN ${DEMO_LINK_PIN}):`, `  ${pad('')}${link}`, '']
      : []),
    `  ${pad('Data')}${relative(ROOT, DATA_DIR)} (API keys in seed.json; delete the folder to start afresh)`,
    '',
  ];
  console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  mkdirSync(DATA_DIR, { recursive: true });
  await buildExtension();
  await checkPorts();

  step(`Starting the club on ${clubUrl}…`);
  const club = startChild('club', 'backend/src/server.ts', clubEnv);
  await waitUntilUp('The club', club, `${clubUrl}/.well-known/clubpass`).catch((error: unknown) => {
    throw new DemoError(
      `${(error as Error).message}\n  If its database is from an older checkout, delete ${relative(ROOT, DATA_DIR)} to start afresh.`,
    );
  });
  done('Club running');

  step('Seeding the demo (admin, merchants, benefits, member)…');
  const seed = await seedDemo({
    clubUrl,
    dataDir: DATA_DIR,
    origins,
    cliEnv: { ...clubEnv, LOG_LEVEL: 'warn' },
    log: (line) => console.log(`  ${line}`),
  });
  done('Demo data ready');

  for (const mode of ['shop', 'cafe'] as const) {
    const affiliate = seed.affiliates[mode];
    if (!affiliate) throw new DemoError(`the seed has no ${mode}`);
    step(`Starting ${MERCHANTS[mode].name} on ${origins[mode]}…`);
    const child = startChild(mode, 'examples/demo-shop/src/server.ts', {
      ...process.env,
      SHOP_MODE: mode,
      PORT: String(ports[mode]),
      HOST,
      PUBLIC_ORIGIN: origins[mode],
      CLUB_URL: clubUrl,
      AFFILIATE_ID: affiliate.id,
      AFFILIATE_API_KEY: affiliate.api_key,
      DATA_DIR: join(DATA_DIR, mode),
    });
    await waitUntilUp(MERCHANTS[mode].name, child, `${origins[mode]}/healthz`);
  }
  done('Merchants running');

  printSummary(seed, await demoLink(clubUrl, seed).catch(() => null));
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  await main();
} catch (error) {
  if (error instanceof DemoError || error instanceof SeedError) console.error(`\n✗ ${error.message}`);
  else if (error instanceof Error && /fetch failed|ECONNREFUSED/.test(`${error.message} ${error.cause}`)) {
    console.error(`\n✗ Lost contact with the club at ${clubUrl}: ${error.cause ?? error.message}`);
  } else console.error('\n✗ The demo could not start:', error);
  await stopAll(1);
}
