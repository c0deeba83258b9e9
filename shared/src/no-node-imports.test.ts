import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// The library runs unchanged in browsers and the extension (PROTOCOL.md §2: WebCrypto only).
// Biome's noNodejsModules says the same; this test keeps holding if the lint config drifts.

const root = fileURLToPath(new URL('.', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every module specifier in static imports, re-exports, dynamic imports and require calls. */
function specifiers(text: string): string[] {
  const patterns = [
    /\b(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]/g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1] as string));
}

const builtins = new Set(builtinModules.flatMap((name) => [name, name.split('/')[0] as string]));
const isNodeBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || builtins.has(specifier.split('/')[0] as string);

test('the scanner sees imports of every form, and knows the builtins', () => {
  const sample = `import { a } from 'node:fs';\nexport * from "crypto";\nimport 'buffer';\nconst m = await import('path');\nrequire('os');`;
  assert.deepEqual(specifiers(sample).filter(isNodeBuiltin), ['node:fs', 'crypto', 'buffer', 'path', 'os']);
  assert.equal(isNodeBuiltin('jose'), false);
  assert.equal(isNodeBuiltin('./encoding.js'), false);
});

test('no non-test file in shared/src imports a Node builtin or uses Buffer or process', () => {
  const files = sources(root);
  assert.ok(files.length >= 20, `only ${files.length} source files found`);
  const offences = files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const name = relative(root, file);
    return [
      ...specifiers(text)
        .filter(isNodeBuiltin)
        .map((s) => `${name} imports ${s}`),
      ...(/\bBuffer\.|\bprocess\.|\bglobal\./.test(text) ? [`${name} uses a Node-only global`] : []),
    ];
  });
  assert.deepEqual(offences, []);
});
