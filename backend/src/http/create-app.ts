import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { consoleRouter } from '../console/console-router.js';
import type { AppDeps } from './app-deps.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { openApiDocument } from './openapi.js';
import { adminAffiliateRoutes } from './routes/admin-affiliate-routes.js';
import { adminBenefitRoutes } from './routes/admin-benefit-routes.js';
import { adminBillingRoutes } from './routes/admin-billing-routes.js';
import { adminCredentialRoutes } from './routes/admin-credential-routes.js';
import { adminKeyRoutes } from './routes/admin-key-routes.js';
import { adminListRoutes } from './routes/admin-list-routes.js';
import { callbackRoutes } from './routes/callback-routes.js';
import { catalogRoutes } from './routes/catalog-routes.js';
import { credentialRoutes } from './routes/credential-routes.js';
import { discoveryRoutes } from './routes/discovery-routes.js';
import { ledgerRoutes } from './routes/ledger-routes.js';
import { memberRoutes } from './routes/member-routes.js';
import { sessionRoutes } from './routes/session-routes.js';
import { snippetRoutes } from './routes/snippet-routes.js';

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

  const openapi = openApiDocument(deps.issuer);
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.use(snippetRoutes(deps));
  app.use(sessionRoutes(deps));
  app.use(memberRoutes(deps));
  app.use(discoveryRoutes(deps));
  app.use(catalogRoutes(deps));
  app.use(adminAffiliateRoutes(deps));
  app.use(adminBenefitRoutes(deps));
  app.use(adminKeyRoutes(deps));
  app.use(adminListRoutes(deps));
  app.use(credentialRoutes(deps));
  app.use(callbackRoutes(deps));
  app.use(ledgerRoutes(deps));
  app.use(adminBillingRoutes(deps));
  app.use(adminCredentialRoutes(deps));
  // The admin console (server-rendered pages): its own form parsing, sessions and error pages.
  app.use(consoleRouter(deps));

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
