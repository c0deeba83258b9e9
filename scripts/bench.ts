// `npm run bench`: prints throughput figures and their ratios to raw crypto measured in the
// same run. Not part of `npm test`: speed is measured here, never asserted in tests.
import { httpBench } from '../bench/http-bench.js';
import { protocolBench } from '../bench/protocol-bench.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 2);
const only = process.argv.slice(2);
const suites: Record<string, () => Promise<void>> = {
  protocol: () => protocolBench(seconds),
  http: () => httpBench(seconds),
};
for (const [name, run] of Object.entries(suites)) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n# ${name}`);
  await run();
}
