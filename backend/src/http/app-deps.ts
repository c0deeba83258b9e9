import type { Clock } from '@clubpass/shared';
import type { Logger } from 'pino';
import type { RotatingKeyRing } from '../keys/create-key-ring.js';
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
  /** Rotating, so the admin API can rotate keys (`POST /v1/admin/keys/rotate`). */
  keyRing: RotatingKeyRing;
  logger: Logger;
  /** The club's public URL: `iss` of everything it signs, and the base of its discovery URLs. */
  issuer: string;
  password: PasswordParams;
  /**
   * 32-byte secret that keys the pairwise `sub` of credentials (PROTOCOL.md §3). It must stay the
   * same for the life of the club, or every member gets new pseudonyms at every affiliate.
   */
  subjectKey: Uint8Array;
  /** Express `trust proxy`, for the client address used by login rate limits. */
  trustProxy: string | false;
}
