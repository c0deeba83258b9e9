import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EXTENSION_DIR, REPO_ROOT } from './paths.js';

/** Newest modification time of the extension's sources (and the protocol library it bundles). */
function newestSource(): { path: string; mtime: number } {
  let newest = { path: '', mtime: 0 };
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) {
        if (name === 'node_modules' || name.startsWith('.')) continue;
        visit(join(path, name));
      }
    } else if (!path.endsWith('.test.ts') && stat.mtimeMs > newest.mtime) {
      newest = { path, mtime: stat.mtimeMs };
    }
  };
  for (const root of ['extension/src', 'extension/public', 'extension/wxt.config.ts', 'shared/src']) {
    visit(join(REPO_ROOT, root));
  }
  return newest;
}

/**
 * The extension tests load the built extension (extension/.output/chrome-mv3). Build it first when
 * it is missing, or older than its sources (so the suite never tests a stale build).
 */
export default function globalSetup(): void {
  const manifest = join(EXTENSION_DIR, 'manifest.json');
  let reason: string | null = null;
  if (!existsSync(manifest)) reason = `${relative(REPO_ROOT, EXTENSION_DIR)} is missing`;
  else {
    const source = newestSource();
    if (source.mtime > statSync(manifest).mtimeMs) {
      reason = `${relative(REPO_ROOT, source.path)} is newer than the build`;
    }
  }
  if (reason === null) {
    console.log(`[e2e] using the built extension in ${relative(REPO_ROOT, EXTENSION_DIR)}`);
    return;
  }
  console.log(`[e2e] building the extension (${reason}): npm run build:extension …`);
  const started = Date.now();
  const result = spawnSync('npm', ['run', 'build:extension'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0 || !existsSync(manifest)) {
    throw new Error(`npm run build:extension failed (exit ${result.status}); the extension tests cannot run`);
  }
  console.log(`[e2e] extension built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
