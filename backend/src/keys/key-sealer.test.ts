import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createKeySealer, loadKeyEncryptionKey } from './key-sealer.js';

const SECRET = JSON.stringify({ kty: 'OKP', crv: 'Ed25519', d: 'private-part', x: 'public-part' });

describe('createKeySealer', () => {
  const kek = randomBytes(32);
  const sealer = createKeySealer(kek);

  test('seal and open round-trip, and the sealed text shows nothing of the plaintext', () => {
    const sealed = sealer.seal(SECRET, 'kid-1');
    assert.match(sealed, /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    assert.ok(!sealed.includes('private-part'));
    assert.ok(!sealed.includes(Buffer.from(SECRET).toString('base64url').slice(0, 20)));
    assert.equal(sealer.open(sealed, 'kid-1'), SECRET);
  });

  test('sealing twice gives different ciphertexts (fresh IV)', () => {
    const a = sealer.seal(SECRET, 'kid-1');
    const b = sealer.seal(SECRET, 'kid-1');
    assert.notEqual(a, b);
    assert.notEqual(a.split('.')[1], b.split('.')[1]);
  });

  test('the wrong key-encryption key fails with a message that says what to check', () => {
    const sealed = sealer.seal(SECRET, 'kid-1');
    assert.throws(
      () => createKeySealer(randomBytes(32)).open(sealed, 'kid-1'),
      /cannot be decrypted: CLUBPASS_KEY_ENCRYPTION_KEY .*is not the key it was sealed with/,
    );
  });

  test('a sealed key moved to another row (other associated data) does not open', () => {
    const sealed = sealer.seal(SECRET, 'kid-1');
    assert.throws(() => sealer.open(sealed, 'kid-2'), /cannot be decrypted/);
  });

  test('any tampering with IV, body or tag is detected', () => {
    const sealed = sealer.seal(SECRET, 'kid-1');
    const parts = sealed.split('.');
    for (const index of [1, 2, 3]) {
      const part = parts[index] as string;
      const bytes = Buffer.from(part, 'base64url');
      bytes[0] = (bytes[0] as number) ^ 1;
      const tampered = parts.map((p, i) => (i === index ? bytes.toString('base64url') : p)).join('.');
      assert.throws(() => sealer.open(tampered, 'kid-1'), /cannot be decrypted/, `part ${index}`);
    }
  });

  test('an unknown format is refused', () => {
    for (const sealed of ['', 'v2.a.b.c', 'v1.a.b', 'v1..body.tag', 'plaintext']) {
      assert.throws(() => sealer.open(sealed, 'kid-1'), /unknown format|cannot be decrypted/, sealed);
    }
  });

  test('a key-encryption key of the wrong length is refused', () => {
    assert.throws(() => createKeySealer(randomBytes(16)), /32 bytes/);
    assert.throws(() => createKeySealer(new Uint8Array(0)), /32 bytes/);
  });
});

describe('loadKeyEncryptionKey', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'clubpass-kek-'));
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('a configured key is used as given, and no file is written', () => {
    const dataDir = join(tempDir(), 'data');
    const key = randomBytes(32);
    assert.deepEqual(Buffer.from(loadKeyEncryptionKey(key.toString('base64url'), dataDir)), key);
    assert.throws(() => statSync(dataDir), { code: 'ENOENT' });
  });

  test('without one, a 32-byte key is generated into a 0600 file under the data folder and reused', () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const first = loadKeyEncryptionKey(null, dataDir);
    assert.equal(first.length, 32);
    const path = join(dataDir, 'key-encryption.key');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(Buffer.from(readFileSync(path, 'utf8'), 'base64url'), Buffer.from(first));
    const second = loadKeyEncryptionKey(null, dataDir);
    assert.deepEqual(Buffer.from(second), Buffer.from(first));
    // What one process sealed, the next start can open.
    const sealed = createKeySealer(first).seal(SECRET, 'kid-1');
    assert.equal(createKeySealer(second).open(sealed, 'kid-1'), SECRET);
  });

  test('two data folders get two different keys', () => {
    const a = loadKeyEncryptionKey(null, tempDir());
    const b = loadKeyEncryptionKey(null, tempDir());
    assert.notDeepEqual(Buffer.from(a), Buffer.from(b));
  });

  test('a key file readable by others is tightened to 0600', () => {
    const dataDir = tempDir();
    const first = loadKeyEncryptionKey(null, dataDir);
    const path = join(dataDir, 'key-encryption.key');
    chmodSync(path, 0o644);
    assert.deepEqual(Buffer.from(loadKeyEncryptionKey(null, dataDir)), Buffer.from(first));
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  test('a key file that does not hold 32 bytes stops start-up with its path in the message', () => {
    const dataDir = tempDir();
    const path = join(dataDir, 'key-encryption.key');
    writeFileSync(path, 'too-short', { mode: 0o600 });
    assert.throws(
      () => loadKeyEncryptionKey(null, dataDir),
      (error: unknown) => error instanceof Error && error.message.includes(path) && /32-byte/.test(error.message),
    );
  });

  test('the data folder holds only the key file afterwards', () => {
    const dataDir = tempDir();
    loadKeyEncryptionKey(null, dataDir);
    loadKeyEncryptionKey(null, dataDir);
    assert.deepEqual(readdirSync(dataDir), ['key-encryption.key']);
  });
});
