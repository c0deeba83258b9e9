import { availableParallelism } from 'node:os';
import { concurrentOpsPerSecond, opsPerSecond, rate } from './measure.js';
import { CASES } from './protocol-cases.js';

/**
 * Issue, present and verify per second (one core and all cores), against raw Ed25519 sign and
 * verify from node:crypto measured in the same run: the ceiling for each operation.
 */
export async function protocolBench(seconds: number): Promise<void> {
  const threads = availableParallelism();
  const single: Record<string, number> = {};
  const concurrent: Record<string, number> = {};
  for (const name of Object.keys(CASES)) {
    process.stdout.write(`  measuring ${name}…\r`);
    single[name] = await opsPerSecond(await (CASES[name] as () => Promise<() => unknown>)(), seconds);
    concurrent[name] = await concurrentOpsPerSecond(name, threads, seconds);
  }
  const s = (n: string) => single[n] as number;
  const c = (n: string) => concurrent[n] as number;
  console.log(`\nProtocol library (EdDSA), ${threads} threads for the concurrent column`);
  console.log('| operation | one core | concurrent | ratio (one core) | aim |');
  console.log('|---|---|---|---|---|');
  console.log(`| raw Ed25519 sign (node:crypto) | ${rate(s('raw sign'))} | ${rate(c('raw sign'))} | 1.00 | |`);
  console.log(`| raw Ed25519 verify (node:crypto) | ${rate(s('raw verify'))} | ${rate(c('raw verify'))} | 1.00 | |`);
  console.log(
    `| issue credential | ${rate(s('issue'))} | ${rate(c('issue'))} | ${(s('issue') / s('raw sign')).toFixed(2)} × raw sign | ≥ 0.40 |`,
  );
  console.log(
    `| present (KB-JWT) | ${rate(s('present'))} | ${rate(c('present'))} | ${(s('present') / s('raw sign')).toFixed(2)} × raw sign | |`,
  );
  console.log(
    `| verify presentation (2 signatures) | ${rate(s('verify'))} | ${rate(c('verify'))} | ${(s('verify') / (s('raw verify') / 2)).toFixed(2)} × raw verify / 2 | ≥ 0.60 |`,
  );
}
