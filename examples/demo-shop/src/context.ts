import type { Clock } from '@clubpass/shared';
import type { ClubClient } from './club.js';
import type { ShopSettings } from './config.js';
import type { ShopDb } from './database.js';

/** What every route of the shop works with. */
export interface ShopContext {
  settings: ShopSettings;
  db: ShopDb;
  clock: Clock;
  club: ClubClient;
}
