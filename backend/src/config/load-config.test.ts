import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import express from 'express';
import { ConfigError, loadConfig } from './load-config.js';

const CWD = '/srv/clubpass';

describe('loadConfig defaults', () => {
  test('an empty environment gives the documented defaults (PROTOCOL.md §10)', () => {
    assert.deepEqual(loadConfig({}, CWD), {
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: join(CWD, 'data', 'clubpass.sqlite'),
      issuer: 'http://127.0.0.1:8080',
      dataDir: join(CWD, 'data'),
      keyEncryptionKey: null,
      logLevel: 'info',
      trustProxy: false,
      scryptN: 2 ** 17,
    });
  });

  test('the default issuer follows HOST and PORT, with brackets for an IPv6 host', () => {
    assert.equal(loadConfig({ HOST: '0.0.0.0', PORT: '9000' }, CWD).issuer, 'http://0.0.0.0:9000');
    assert.equal(loadConfig({ HOST: '::1', PORT: '9000' }, CWD).issuer, 'http://[::1]:9000');
  });

  test('the SQLite file follows CLUBPASS_DATA_DIR', () => {
    const config = loadConfig({ CLUBPASS_DATA_DIR: 'var/club' }, CWD);
    assert.equal(config.dataDir, join(CWD, 'var', 'club'));
    assert.equal(config.databaseUrl, join(CWD, 'var', 'club', 'clubpass.sqlite'));
  });
});

describe('loadConfig with values', () => {
  test('DATABASE_URL takes a path, a sqlite: path or a postgres URL', () => {
    assert.equal(loadConfig({ DATABASE_URL: 'club.db' }, CWD).databaseUrl, join(CWD, 'club.db'));
    assert.equal(loadConfig({ DATABASE_URL: 'sqlite:db/club.db' }, CWD).databaseUrl, join(CWD, 'db', 'club.db'));
    assert.equal(loadConfig({ DATABASE_URL: '/abs/club.db' }, CWD).databaseUrl, '/abs/club.db');
    assert.equal(loadConfig({ DATABASE_URL: ':memory:' }, CWD).databaseUrl, ':memory:');
    for (const url of ['postgres://u@db:5432/club', 'postgresql://u:p@db/club?sslmode=require']) {
      assert.equal(loadConfig({ DATABASE_URL: url }, CWD).databaseUrl, url);
    }
  });

  test('CLUBPASS_ISSUER is kept without trailing slashes', () => {
    assert.equal(loadConfig({ CLUBPASS_ISSUER: 'https://club.example/' }, CWD).issuer, 'https://club.example');
    assert.equal(loadConfig({ CLUBPASS_ISSUER: 'https://club.example/c//' }, CWD).issuer, 'https://club.example/c');
  });

  test('a well-formed key-encryption key, log level and TRUST_PROXY are taken as given', () => {
    const kek = randomBytes(32).toString('base64url');
    const config = loadConfig(
      { CLUBPASS_KEY_ENCRYPTION_KEY: kek, LOG_LEVEL: 'warn', TRUST_PROXY: 'loopback, 10.0.0.0/8' },
      CWD,
    );
    assert.equal(config.keyEncryptionKey, kek);
    assert.equal(config.logLevel, 'warn');
    assert.equal(config.trustProxy, 'loopback, 10.0.0.0/8');
  });

  test('every TRUST_PROXY value accepted here is one Express accepts', () => {
    for (const value of ['loopback', '127.0.0.1', '10.0.0.0/8', '::1/128', '192.168.0.0/255.255.0.0', 'a', '']) {
      let config: ReturnType<typeof loadConfig>;
      try {
        config = loadConfig({ TRUST_PROXY: value }, CWD);
      } catch (error) {
        assert.ok(error instanceof ConfigError, value);
        continue;
      }
      assert.doesNotThrow(() => express().set('trust proxy', config.trustProxy), value);
    }
  });
});

describe('loadConfig refuses bad values, naming the variable', () => {
  const cases: [Record<string, string>, string][] = [
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '0' }, 'PORT'],
    [{ PORT: '' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ PORT: '80.5' }, 'PORT'],
    [{ PORT: '1e3' }, 'PORT'],
    [{ CLUBPASS_ISSUER: 'ftp://x' }, 'CLUBPASS_ISSUER'],
    [{ CLUBPASS_ISSUER: 'not a url' }, 'CLUBPASS_ISSUER'],
    [{ CLUBPASS_ISSUER: 'https://club.example/?a=b' }, 'CLUBPASS_ISSUER'],
    [{ CLUBPASS_ISSUER: 'https://club.example/#top' }, 'CLUBPASS_ISSUER'],
    [{ CLUBPASS_ISSUER: 'https://user:pw@club.example' }, 'CLUBPASS_ISSUER'],
    [{ CLUBPASS_KEY_ENCRYPTION_KEY: 'short' }, 'CLUBPASS_KEY_ENCRYPTION_KEY'],
    [{ CLUBPASS_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') }, 'CLUBPASS_KEY_ENCRYPTION_KEY'],
    [{ CLUBPASS_KEY_ENCRYPTION_KEY: randomBytes(24).toString('base64url') }, 'CLUBPASS_KEY_ENCRYPTION_KEY'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ LOG_LEVEL: 'INFO' }, 'LOG_LEVEL'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'sqlite://club.db' }, 'DATABASE_URL'],
    [{ DATABASE_URL: '   ' }, 'DATABASE_URL'],
    [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '1' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: 'loopback,proxy.internal' }, 'TRUST_PROXY'],
  ];
  for (const [env, variable] of cases) {
    test(`${JSON.stringify(env)} → ConfigError naming ${variable}`, () => {
      assert.throws(
        () => loadConfig(env, CWD),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError, `not a ConfigError: ${String(error)}`);
          assert.equal(error.name, 'ConfigError');
          assert.ok(error.message.includes(variable), `"${error.message}" does not name ${variable}`);
          return true;
        },
      );
    });
  }
});
