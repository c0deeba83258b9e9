import { isIP } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';

/** The backend's settings, read once from the environment at start (PROTOCOL.md §10). */
export interface Config {
  port: number;
  host: string;
  /** A SQLite file path or a `postgres://` URL. */
  databaseUrl: string;
  /** The club's public URL: `iss` of everything it signs. */
  issuer: string;
  /** Where the SQLite file and the generated key-encryption key live. */
  dataDir: string;
  /** base64url 32-byte key that seals signing keys at rest; when absent a 0600 file under dataDir is used. */
  keyEncryptionKey: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** Express `trust proxy` setting, for client addresses behind a load balancer. */
  trustProxy: string | false;
  /** scrypt cost parameter N (2^17 in production; tests may lower it through code, never through env). */
  scryptN: number;
}

/** A configuration value that cannot be used; the message names the variable and the fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;

function port(env: NodeJS.ProcessEnv): number {
  const raw = env.PORT ?? '8080';
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 65535) {
    throw new ConfigError(`PORT="${raw}" is not a TCP port: set PORT to a whole number from 1 to 65535.`);
  }
  return value;
}

function issuer(env: NodeJS.ProcessEnv, host: string, portNumber: number): string {
  const raw = env.CLUBPASS_ISSUER ?? `http://${host.includes(':') ? `[${host}]` : host}:${portNumber}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      `CLUBPASS_ISSUER="${raw}" is not a URL: set it to the club's public URL, e.g. https://club.example.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`CLUBPASS_ISSUER must be an http(s) URL, not "${url.protocol}".`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError('CLUBPASS_ISSUER must not carry a query, fragment or credentials.');
  }
  return raw.replace(/\/+$/, '');
}

const TRUST_PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** One entry of Express's `trust proxy` list: a name above, an address, or an address/prefix. */
function isTrustProxyEntry(entry: string): boolean {
  if (TRUST_PROXY_NAMES.includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (/^\d{1,3}$/.test(prefix)) return Number(prefix) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(prefix) === 4;
}

// Express throws a bare TypeError at start-up for anything else ("1", "true"), naming nothing.
function trustProxy(env: NodeJS.ProcessEnv): string | false {
  const raw = env.TRUST_PROXY;
  if (raw === undefined || raw === '') return false;
  if (!raw.split(',').every((entry) => isTrustProxyEntry(entry.trim()))) {
    throw new ConfigError(
      `TRUST_PROXY="${raw}" is not a list of proxy addresses: use comma-separated IP addresses or subnets (10.0.0.0/8), or loopback, linklocal, uniquelocal.`,
    );
  }
  return raw;
}

/**
 * Reads and checks the environment once. Any bad value stops start-up with a {@link ConfigError}
 * naming the variable and what to do.
 */
export function loadConfig(env: NodeJS.ProcessEnv, cwd: string): Config {
  const host = env.HOST ?? '127.0.0.1';
  const portNumber = port(env);
  const dataDir = resolve(cwd, env.CLUBPASS_DATA_DIR ?? 'data');
  const rawDb = env.DATABASE_URL ?? join(dataDir, 'clubpass.sqlite');
  if (rawDb.trim() === '')
    throw new ConfigError(
      'DATABASE_URL is empty: unset it for the default SQLite file, or set a path or postgres:// URL.',
    );
  let databaseUrl = rawDb;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(rawDb) && !/^postgres(ql)?:\/\//.test(rawDb)) {
    throw new ConfigError(`DATABASE_URL uses an unknown scheme: use a file path, sqlite:<path> or postgres://…`);
  }
  if (!/^postgres(ql)?:\/\//.test(rawDb)) {
    const path = rawDb.replace(/^sqlite:/, '');
    databaseUrl = path === ':memory:' || isAbsolute(path) ? path : resolve(cwd, path);
  }
  const kek = env.CLUBPASS_KEY_ENCRYPTION_KEY ?? null;
  if (kek !== null && !/^[A-Za-z0-9_-]{43}$/.test(kek)) {
    throw new ConfigError(
      "CLUBPASS_KEY_ENCRYPTION_KEY must be 32 bytes in base64url (43 characters); generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64url'))\"",
    );
  }
  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL="${env.LOG_LEVEL}" is not one of ${LOG_LEVELS.join(', ')}.`);
  }
  return {
    port: portNumber,
    host,
    databaseUrl,
    issuer: issuer(env, host, portNumber),
    dataDir,
    keyEncryptionKey: kek,
    logLevel,
    trustProxy: trustProxy(env),
    scryptN: 2 ** 17,
  };
}
