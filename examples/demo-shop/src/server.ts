// Starts the demo shop (or, with SHOP_MODE=cafe, the café). Reads the environment once, opens
// and migrates its own SQLite database, listens, and stops cleanly on SIGTERM/SIGINT.
import { join } from 'node:path';
import { ConfigError, loadShopConfig, type ShopConfig } from './config.js';
import { createShopApp } from './create-shop-app.js';
import { openShopDatabase } from './database.js';

let config: ShopConfig;
try {
  config = loadShopConfig(process.env, process.cwd());
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`demo-shop: configuration error: ${error.message}`);
    process.exit(78); // EX_CONFIG
  }
  throw error;
}

const db = await openShopDatabase(join(config.dataDir, `${config.merchant.mode}.sqlite`));
const app = createShopApp({ settings: config, db });
const server = app.listen(config.port, config.host, () => {
  console.log(`${config.merchant.name} listening on ${config.publicOrigin} (club: ${config.clubUrl})`);
});
server.on('error', (error: NodeJS.ErrnoException) => {
  console.error(
    error.code === 'EADDRINUSE'
      ? `demo-shop: port ${config.port} is in use: set PORT to a free port (and PUBLIC_ORIGIN to match)`
      : `demo-shop: ${error.message}`,
  );
  process.exit(1);
});

let stopping = false;
function shutdown(): void {
  if (stopping) return;
  stopping = true;
  server.close(async () => {
    await db.destroy();
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => server.closeAllConnections(), 5000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
