import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { freePort, runCli, startServer } from './test-support/processes.js';
import { createTestDatabase, testDatabaseKinds } from './test-support/test-database.js';

// Real processes: `node --import tsx backend/src/cli.ts …` and `… server.ts`, as `npm run cli` / `serve` run them.

const PASSWORD = 'correct horse battery staple';

describe('cli: bad arguments', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clubpass-cli-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = { CLUBPASS_DATA_DIR: dataDir, DATABASE_URL: join(dataDir, 'club.sqlite') };

  test('print the usage on stderr, exit 64 and touch no database', async () => {
    const cases = [
      [], // no command
      ['admin', 'create', '--email', 'not-an-address', '--password', PASSWORD], // a bad value
      ['admin', 'create', '--email', 'root@example.com', '--password', PASSWORD, '--bogus'], // an unknown option
    ];
    const results = await Promise.all(cases.map((args) => runCli(args, env)));
    for (const [i, result] of results.entries()) {
      const args = JSON.stringify(cases[i]);
      assert.equal(result.code, 64, `${args}: ${result.stderr}`);
      assert.match(result.stderr, /Usage:\n\s+npm run cli -- admin create --email/, args);
      assert.doesNotMatch(result.stderr, /\n\s+at /, `${args} printed a stack trace`);
    }
    assert.deepEqual(readdirSync(dataDir), [], 'a bad command created files');
  });
});

for (const kind of testDatabaseKinds()) {
  describe(`cli admin create on ${kind}`, () => {
    test('creates an admin who can sign in to a serve process on the same database with role admin', async () => {
      const database = await createTestDatabase(kind);
      const dataDir = mkdtempSync(join(tmpdir(), 'clubpass-cli-'));
      const env = { CLUBPASS_DATA_DIR: dataDir, DATABASE_URL: database.url };
      try {
        const created = await runCli(['admin', 'create', '--email', ' Root@Example.com ', '--password', PASSWORD], env);
        assert.equal(created.code, 0, created.stderr);
        assert.match(created.stdout, /Created admin adm_[A-Za-z0-9_-]+ <root@example\.com>/);
        assert.ok(!created.stdout.includes(PASSWORD), 'the password is echoed');

        const port = await freePort();
        const server = startServer({ ...env, PORT: String(port), LOG_LEVEL: 'info' });
        try {
          await server.ready;
          const response = await fetch(`http://127.0.0.1:${port}/v1/sessions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: 'root@example.com', password: PASSWORD }),
          });
          const body = (await response.json()) as { token: string; role: string };
          assert.equal(response.status, 201, JSON.stringify(body));
          assert.equal(body.role, 'admin');
          assert.match(body.token, /^cps_/);
        } finally {
          server.child.kill('SIGTERM');
          const stopped = await server.exited;
          assert.equal(stopped.code, 0, stopped.stderr);
        }
      } finally {
        await database.dispose();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}
