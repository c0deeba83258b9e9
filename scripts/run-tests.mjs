#!/usr/bin/env node
// Runs every workspace's colocated *.test.ts with Node's test runner (through tsx), then the
// end-to-end suite when it exists, and ends with one summary line: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const unitOnly = process.argv.includes('--unit');
const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const roots = ['shared/src', 'backend/src', 'extension/src', 'examples'];

function findTests(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

const files = roots
  .flatMap((r) => findTests(join(root, r)))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`No test files found: expected *.test.ts under ${roots.join(', ')}`);
  process.exit(1);
}

const summaryFile = join(tmpdir(), `clubpass-test-summary-${process.pid}.json`);
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/summary-reporter.mjs',
    `--test-reporter-destination=${summaryFile}`,
    ...files,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
const unit = existsSync(summaryFile)
  ? JSON.parse(readFileSync(summaryFile, 'utf8'))
  : { passed: 0, failed: 1, skipped: 0 };
rmSync(summaryFile, { force: true });
let { passed, failed, skipped } = unit;
if (result.status !== 0 && failed === 0) failed = 1; // a crash outside any test still fails the run

const e2eConfig = join(root, 'tests', 'playwright.config.ts');
if (!unitOnly && filters.length === 0 && existsSync(e2eConfig)) {
  const e2e = spawnSync('npx', ['playwright', 'test', '--config', e2eConfig], { cwd: root, stdio: 'inherit' });
  const report = join(root, 'test-results', 'summary.json');
  if (existsSync(report)) {
    const s = JSON.parse(readFileSync(report, 'utf8'));
    passed += s.passed;
    failed += s.failed;
    skipped += s.skipped;
  }
  if (e2e.status !== 0 && failed === 0) failed = 1;
}

console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
