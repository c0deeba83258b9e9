import type { Clock } from '@clubpass/shared';
import type { Logger } from 'pino';
import type { KeyRing } from '../keys/key-ring.js';
import type { Store } from '../store/store.js';

/** scrypt parameters; production uses N = 2^17, r = 8, p = 1 (PROTOCOL.md §6). */
export interface PasswordParams {
  N: number;
  r: number;
  p: number;
}

/** Everything the HTTP app needs, passed in: no module-level singletons, no process.env. */
export interface AppDeps {
  store: Store;
  clock: Clock;
  keyRing: KeyRing;
  logger: Logger;
  /** The club's public URL: `iss` of everything it signs, and the base of its discovery URLs. */
  issuer: string;
  password: PasswordParams;
  /** Express `trust proxy`, for the client address used by login rate limits. */
  trustProxy: string | false;
}
