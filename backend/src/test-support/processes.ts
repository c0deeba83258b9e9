import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root: where `npm run serve` and `npm run cli` run. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SERVER = fileURLToPath(new URL('../server.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));

// Variables the backend reads: a test sets the ones it means, and none leak in from the shell.
const CONFIG_VARIABLES = [
  'PORT',
  'HOST',
  'DATABASE_URL',
  'CLUBPASS_ISSUER',
  'CLUBPASS_DATA_DIR',
  'CLUBPASS_KEY_ENCRYPTION_KEY',
  'LOG_LEVEL',
  'TRUST_PROXY',
];

function environment(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CONFIG_VARIABLES) delete base[name];
  return { ...base, ...env };
}

/** A TCP port that was free a moment ago (config refuses PORT=0, so the test picks one). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningProcess {
  child: ChildProcessWithoutNullStreams;
  /** Everything written so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves once stdout contains `text`; rejects if the process exits first. */
  waitForOutput(text: string): Promise<void>;
  exited: Promise<Finished>;
}

function start(script: string, args: string[], env: Record<string, string>): RunningProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    env: environment(env),
  });
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (stdout.includes(w.text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    check();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<Finished>((resolve) => {
    child.on('close', (code, signal) => {
      for (const w of waiters.splice(0)) {
        w.reject(new Error(`exited (${code ?? signal}) before printing "${w.text}":\n${stdout}\n${stderr}`));
      }
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    output: () => ({ stdout, stderr }),
    waitForOutput: (text) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ text, resolve, reject });
        check();
        if (child.exitCode !== null || child.signalCode !== null) {
          reject(new Error(`already exited before printing "${text}":\n${stdout}\n${stderr}`));
        }
      }),
    exited,
  };
}

/** Runs `npm run cli -- <args>` as a real process and waits for it to finish. */
export function runCli(args: string[], env: Record<string, string>): Promise<Finished> {
  return start(CLI, args, env).exited;
}

/** Starts `npm run serve` as a real process; `ready` resolves once it listens. */
export function startServer(env: Record<string, string>): RunningProcess & { ready: Promise<void> } {
  const running = start(SERVER, [], env);
  const ready = running.waitForOutput('clubpass backend listening');
  ready.catch(() => {}); // a server that is meant to fail at start-up is awaited through `exited`
  return { ...running, ready };
}
