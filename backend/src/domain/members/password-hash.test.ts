import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TEST_PASSWORD_PARAMS } from '../../test-support/test-backend.js';
import { hashPassword, PRODUCTION_PASSWORD_PARAMS, verifyPassword } from './password-hash.js';

const PASSWORD = 'correct horse battery staple';

describe('password hashing at production cost', () => {
  test('the production parameters are scrypt N=2^17, r=8, p=1 (PROTOCOL.md §6: N ≥ 2^17)', () => {
    assert.deepEqual(PRODUCTION_PASSWORD_PARAMS, { N: 131072, r: 8, p: 1 });
  });

  test('a production hash is a self-describing scrypt string that verifies, and only for its password', async () => {
    const hash = await hashPassword(PASSWORD, PRODUCTION_PASSWORD_PARAMS);
    assert.match(hash, /^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    assert.equal(await verifyPassword(PASSWORD, hash), true);
    assert.equal(await verifyPassword('correct horse battery stapler', hash), false);
  });

  test('verification runs off the event loop: timers keep firing while a production hash is checked', async () => {
    const hash = await hashPassword(PASSWORD, PRODUCTION_PASSWORD_PARAMS);
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
    }, 1);
    try {
      assert.equal(await verifyPassword(PASSWORD, hash), true);
    } finally {
      clearInterval(timer);
    }
    // A synchronous scrypt would block the loop for the whole computation: at most one tick, after it.
    assert.ok(ticks >= 3, `the interval ticked ${ticks} times during verification`);
  });
});

describe('password hashing', () => {
  test('a hash is not the password and does not contain it', async () => {
    const hash = await hashPassword(PASSWORD, TEST_PASSWORD_PARAMS);
    assert.notEqual(hash, PASSWORD);
    assert.ok(!hash.includes(PASSWORD));
    assert.ok(!hash.includes(Buffer.from(PASSWORD).toString('base64url')));
  });

  test('two hashes of one password differ (random salt) and both verify', async () => {
    const a = await hashPassword(PASSWORD, TEST_PASSWORD_PARAMS);
    const b = await hashPassword(PASSWORD, TEST_PASSWORD_PARAMS);
    assert.notEqual(a, b);
    assert.notEqual(a.split('$')[4], b.split('$')[4]);
    assert.equal(await verifyPassword(PASSWORD, a), true);
    assert.equal(await verifyPassword(PASSWORD, b), true);
  });

  test('a hash made with other parameters still verifies with the parameters it records', async () => {
    const hash = await hashPassword(PASSWORD, { N: 2 ** 12, r: 8, p: 2 });
    assert.match(hash, /^scrypt\$4096\$8\$2\$/);
    assert.equal(await verifyPassword(PASSWORD, hash), true);
    // Rewriting the recorded parameters breaks verification rather than being ignored.
    assert.equal(await verifyPassword(PASSWORD, hash.replace('$4096$', '$2048$')), false);
  });

  test('any Unicode password works, compared after NFC normalization', async () => {
    const composed = 'Pässwörd-\u{1F600}-密码';
    const decomposed = composed.normalize('NFD');
    assert.notEqual(composed, decomposed);
    const hash = await hashPassword(composed, TEST_PASSWORD_PARAMS);
    assert.equal(await verifyPassword(composed, hash), true);
    assert.equal(await verifyPassword(decomposed, hash), true);
    assert.equal(await verifyPassword('Passwort-\u{1F600}-密码', hash), false);
  });

  test('a stored value that is not a scrypt hash never verifies', async () => {
    const hash = await hashPassword(PASSWORD, TEST_PASSWORD_PARAMS);
    const [, n, r, p, salt, key] = hash.split('$');
    for (const stored of [
      '',
      PASSWORD,
      `bcrypt$${n}$${r}$${p}$${salt}$${key}`,
      `scrypt$${n}$${r}$${p}$${salt}`,
      `scrypt$${n}$${r}$${p}$${salt}$`,
      `scrypt$${n}$${r}$${p}$${salt}$${key?.slice(0, 20)}`,
    ]) {
      assert.equal(await verifyPassword(PASSWORD, stored), false, JSON.stringify(stored));
    }
  });
});
