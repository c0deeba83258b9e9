// `npm run serve`: the club backend alone. Reads the environment once, migrates, listens, and
// shuts down gracefully on SIGTERM/SIGINT (stops accepting, finishes requests, closes the database).

import { systemClock } from './clock.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { createApp } from './http/create-app.js';
import { openRuntime } from './runtime.js';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env, process.cwd());
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`clubpass: configuration error: ${error.message}`);
    process.exit(78); // EX_CONFIG
  }
  throw error;
}

const runtime = await openRuntime(config, systemClock());
const { logger } = runtime.deps;
const app = createApp(runtime.deps);
const server = app.listen(config.port, config.host, () => {
  logger.info(
    { url: `http://${config.host}:${config.port}`, issuer: config.issuer, database: runtime.database.kind },
    'clubpass backend listening',
  );
});
server.on('error', (error: NodeJS.ErrnoException) => {
  logger.fatal(
    { err: error },
    error.code === 'EADDRINUSE' ? `port ${config.port} is in use: set PORT to a free port` : 'server error',
  );
  process.exit(1);
});

let stopping = false;
function shutdown(signal: string): void {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: finishing requests');
  server.close(async () => {
    await runtime.close();
    logger.info('stopped');
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => {
    logger.warn('requests still open after 10 s; closing them');
    server.closeAllConnections();
  }, 10_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
