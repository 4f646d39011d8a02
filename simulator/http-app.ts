import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { SimContext } from './context';
import { controlRoutes, type ControlHooks } from './control/routes';
import { GraphError } from './graph/errors';
import { graphRoutes } from './graph/routes';
import type { XAdsSimulator } from './x-ads';
import { xControlRoutes } from './x/control-routes';
import { xRoutes } from './x/routes';

/** Graph paths carry the version (`/v25.0/...`); the same routes also answer without it. */
const stripVersion: RequestHandler = (req, res, next) => {
  const match = /^\/(v\d+\.\d+)(\/.*)?$/.exec(req.url);
  if (match) {
    res.locals.apiVersion = match[1];
    req.url = match[2] ?? '/';
  }
  next();
};

const badBody: ErrorRequestHandler = (error: unknown, req, res, next) => {
  if (res.headersSent) return next(error);
  const status = (error as { status?: number }).status ?? 500;
  if (req.path.startsWith('/_sim')) {
    return res.status(status).json({ error: error instanceof Error ? error.message : String(error) });
  }
  const graphError = status < 500 ? GraphError.invalid('Invalid request body') : GraphError.of('unknown');
  res.status(status < 500 ? 400 : 500).json(graphError.toBody());
};

export function createServerApp(ctx: SimContext, hooks: ControlHooks, xAds: XAdsSimulator): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  app.use(express.json({ limit: '30mb' }));
  app.use(express.urlencoded({ extended: true, limit: '30mb' }));
  app.use('/_sim/x-ads', xAds.control);
  app.use('/_sim', controlRoutes(ctx, hooks));
  app.use('/x-ads', xAds.api);
  app.use('/_sim/x', xControlRoutes(ctx.x));
  app.use('/_sim', controlRoutes(ctx, hooks));
  app.use('/x', xRoutes(ctx.x));
  app.use(stripVersion);
  app.use(graphRoutes(ctx));
  app.use((req, res) => {
    res.status(400).json(GraphError.unsupported(req.method, req.path.slice(1)).toBody());
  });
  app.use(badBody);
  return app;
}
