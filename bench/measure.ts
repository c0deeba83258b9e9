import { Worker } from 'node:worker_threads';

/** Runs `op` repeatedly for about `seconds` and returns operations per second. */
export async function opsPerSecond(op: () => unknown, seconds: number): Promise<number> {
  for (let i = 0; i < 50; i++) await op(); // warm-up: JIT and key caches
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let count = 0;
  while (performance.now() < deadline) {
    for (let i = 0; i < 20; i++) await op();
    count += 20;
  }
  return count / ((performance.now() - start) / 1000);
}

/**
 * Runs the named case of `./protocol-cases.ts` in `threads` worker threads at once and returns
 * the summed operations per second: the "concurrent" figure on this machine's cores.
 */
export async function concurrentOpsPerSecond(caseName: string, threads: number, seconds: number): Promise<number> {
  const workers = Array.from(
    { length: threads },
    () =>
      new Worker(new URL('./worker-entry.mjs', import.meta.url), {
        workerData: { caseName, seconds },
      }),
  );
  const results = await Promise.all(
    workers.map(
      (w) =>
        new Promise<number>((resolve, reject) => {
          w.once('message', (value: number) => resolve(value));
          w.once('error', reject);
        }),
    ),
  );
  await Promise.all(workers.map((w) => w.terminate()));
  return results.reduce((a, b) => a + b, 0);
}

/** Formats a rate for the table. */
export function rate(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')}/s`;
}
