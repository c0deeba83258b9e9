import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { AppDeps } from './app-deps.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { memberRoutes } from './routes/member-routes.js';
import { sessionRoutes } from './routes/session-routes.js';

/** The largest JSON body accepted (PROTOCOL.md §1). */
export const MAX_BODY = '64kb';

/**
 * Builds the club's HTTP app from its dependencies. It does not listen: the server file does,
 * and tests drive the app on an ephemeral port.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.set('query parser', 'simple');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
        },
      },
      crossOriginResourcePolicy: { policy: 'cross-origin' },
    }),
  );
  app.use(
    pinoHttp({
      logger: deps.logger,
      // Secrets never reach the logs: no headers (Authorization, Cookie) and no bodies are logged.
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
    }),
  );
  app.use(express.json({ limit: MAX_BODY, type: ['application/json', 'application/*+json'] }));

  app.use(sessionRoutes(deps));
  app.use(memberRoutes(deps));

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
