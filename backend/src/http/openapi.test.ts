import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Express } from 'express';
import { startTestBackend, type TestBackend } from '../test-support/test-backend.js';
import { createApp } from './create-app.js';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every `METHOD path` the app serves, read from Express's own router, paths in OpenAPI form. */
function servedRoutes(app: Express): Set<string> {
  const out = new Set<string>();
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on) out.add(`${method.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return out;
}

describe('OpenAPI document', () => {
  let backend: TestBackend;
  before(async () => {
    backend = await startTestBackend('sqlite');
  });
  after(() => backend.close());

  test('is served at /openapi.json as OpenAPI 3.1', async () => {
    const { status, body } = await backend.request('GET', '/openapi.json');
    assert.equal(status, 200);
    assert.equal(body.openapi, '3.1.0');
    assert.equal(body.servers[0].url, backend.deps.issuer);
  });

  test('describes exactly the routes the app serves', async () => {
    const { body } = await backend.request('GET', '/openapi.json');
    const documented = new Set<string>();
    for (const [path, methods] of Object.entries(body.paths as Record<string, object>)) {
      for (const method of Object.keys(methods)) documented.add(`${method.toUpperCase()} ${path}`);
    }
    const served = servedRoutes(createApp(backend.deps));
    served.delete('GET /openapi.json');
    for (const route of served) if (route.split(' ')[1]?.startsWith('/console')) served.delete(route); // HTML pages
    assert.ok(served.size > 30, `found ${served.size} routes`);
    assert.deepEqual([...served].filter((r) => !documented.has(r)).sort(), [], 'served but not documented');
    assert.deepEqual([...documented].filter((r) => !served.has(r)).sort(), [], 'documented but not served');
  });
});
