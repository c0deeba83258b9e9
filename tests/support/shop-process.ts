import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';

const SERVER = join(REPO_ROOT, 'examples', 'demo-shop', 'src', 'server.ts');

export interface ShopProcessOptions {
  mode: 'shop' | 'cafe';
  clubUrl: string;
  affiliateId: string;
  apiKey: string;
  port: number;
  host?: string;
}

/** A demo merchant (examples/demo-shop) running as its own process on its own SQLite file. */
export interface ShopProcess {
  /** Its public origin, e.g. http://127.0.0.1:41234. */
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node --import tsx examples/demo-shop/src/server.ts` and resolves once /healthz answers. */
export async function startShopProcess(options: ShopProcessOptions): Promise<ShopProcess> {
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host}:${options.port}`;
  const dataDir = mkdtempSync(join(tmpdir(), `clubpass-e2e-${options.mode}-`));
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      SHOP_MODE: options.mode,
      CLUB_URL: options.clubUrl,
      AFFILIATE_ID: options.affiliateId,
      AFFILIATE_API_KEY: options.apiKey,
      PORT: String(options.port),
      HOST: host,
      PUBLIC_ORIGIN: url,
      DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        rmSync(dataDir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(force);
        done();
      });
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the demo ${options.mode} exited with ${child.exitCode}: ${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the demo ${options.mode} did not start within 30 s: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, child, output: () => output, stop };
}
