import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { freePort, startServer } from './test-support/processes.js';

// Real `serve` processes (node --import tsx backend/src/server.ts) on a temp SQLite file.

describe('serve', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'clubpass-serve-'));
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('a bad PORT stops start-up with a non-zero exit and a message naming PORT', async () => {
    const server = startServer({ PORT: 'abc', CLUBPASS_DATA_DIR: dataDir() });
    const result = await server.exited;
    assert.notEqual(result.code, 0);
    assert.equal(result.code, 78); // EX_CONFIG
    assert.match(result.stderr, /configuration error: PORT="abc"/);
  });

  test('SIGTERM stops accepting, finishes the request in flight, and exits 0', async () => {
    const dir = dataDir();
    const port = await freePort();
    const server = startServer({ PORT: String(port), CLUBPASS_DATA_DIR: dir, DATABASE_URL: join(dir, 'club.sqlite') });
    try {
      await server.ready;
      // A registration whose body is held back: `Expect: 100-continue` tells us when the server has
      // the request, SIGTERM arrives while it is open, and only then is the body sent.
      const body = JSON.stringify({
        email: 'ann@example.com',
        password: 'correct horse battery',
        given_name: 'Ann',
        family_name: 'Example',
      });
      const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/v1/members',
          agent: false,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            expect: '100-continue',
          },
        });
        req.on('continue', async () => {
          server.child.kill('SIGTERM');
          try {
            await server.waitForOutput('shutting down');
            // Stopped accepting: a new connection is refused while this request is still open.
            await assert.rejects(fetch(`http://127.0.0.1:${port}/v1/members/me`));
            req.end(body);
          } catch (error) {
            reject(error);
          }
        });
        req.on('response', (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on('error', reject);
      });
      const finished = await response;
      assert.equal(finished.status, 201, finished.body);
      assert.match((JSON.parse(finished.body) as { membership_number: string }).membership_number, /^CP-\d{10}$/);
      const result = await server.exited;
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.signal, null);
      assert.match(result.stdout, /"msg":"stopped"/);
    } finally {
      server.child.kill('SIGKILL');
    }
  });
});
