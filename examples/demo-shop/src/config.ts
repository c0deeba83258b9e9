import { resolve } from 'node:path';
import { MERCHANTS, type Merchant } from './merchants.js';

/** What the app needs to talk to the club as one affiliate. */
export interface ShopSettings {
  merchant: Merchant;
  /** Where the club's API and snippet are reached, e.g. https://club.example. */
  clubUrl: string;
  /** This shop's affiliate id at the club: the `aud` of every credential it may accept. */
  affiliateId: string;
  /** The affiliate API key. It stays on this server: no page, script or log ever sees it. */
  apiKey: string;
  /**
   * This shop's web origin as the member's browser sees it. Presentations must name exactly this
   * origin; it is configured, never taken from a request (a forged Host header must not widen it).
   */
  publicOrigin: string;
}

export interface ShopConfig extends ShopSettings {
  port: number;
  host: string;
  /** Where the shop's SQLite file lives. */
  dataDir: string;
}

/** A setting that cannot be used; the message names the variable and what to do. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function required(env: NodeJS.ProcessEnv, name: string, hint: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`${name} is not set: ${hint}`);
  return value;
}

function httpUrl(name: string, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name}="${raw}" is not a URL: use e.g. https://example.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${name} must be an http(s) URL, not "${url.protocol}"`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`${name} must not carry a query, fragment or credentials`);
  }
  return url;
}

/** Reads and checks the environment once, at start. */
export function loadShopConfig(env: NodeJS.ProcessEnv, cwd: string): ShopConfig {
  const mode = env.SHOP_MODE ?? 'shop';
  if (mode !== 'shop' && mode !== 'cafe') {
    throw new ConfigError(`SHOP_MODE="${mode}" is not known: use "shop" or "cafe"`);
  }
  const rawPort = env.PORT ?? (mode === 'shop' ? '3001' : '3002');
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port < 1 || port > 65535) {
    throw new ConfigError(`PORT="${rawPort}" is not a TCP port: use a whole number from 1 to 65535`);
  }
  const host = env.HOST ?? '127.0.0.1';
  const clubUrl = httpUrl(
    'CLUB_URL',
    required(env, 'CLUB_URL', "set it to the club's URL, e.g. http://127.0.0.1:8080"),
  ).href.replace(/\/+$/, '');
  const affiliateId = required(env, 'AFFILIATE_ID', 'set it to the affiliate id the club gave this shop (aff_…)');
  if (!/^aff_[A-Za-z0-9_-]+$/.test(affiliateId)) {
    throw new ConfigError(`AFFILIATE_ID="${affiliateId}" does not look like an affiliate id (aff_…)`);
  }
  const apiKey = required(env, 'AFFILIATE_API_KEY', 'set it to the API key the club issued for this affiliate');
  const rawOrigin = env.PUBLIC_ORIGIN ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const publicOrigin = httpUrl('PUBLIC_ORIGIN', rawOrigin).origin;
  if (publicOrigin !== rawOrigin.replace(/\/$/, '')) {
    throw new ConfigError(`PUBLIC_ORIGIN="${rawOrigin}" must be an origin only (scheme://host[:port]), no path`);
  }
  return {
    merchant: MERCHANTS[mode],
    port,
    host,
    clubUrl,
    affiliateId,
    apiKey,
    publicOrigin,
    dataDir: resolve(cwd, env.DATA_DIR ?? `data/${mode}`),
  };
}
