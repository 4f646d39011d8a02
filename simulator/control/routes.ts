import { Router, type ErrorRequestHandler } from 'express';
import { z } from 'zod';
import type { SimContext } from '../context';
import { appCallbackRoutes } from './app-callback-routes';
import { ControlError } from './errors';
import { pageControlRoutes } from './page-routes';
import { peopleControlRoutes } from './people-routes';
import { readbackRoutes } from './readback-routes';
import { setupRoutes } from './setup-routes';

/** What the control API needs from the running simulator beyond the shared context. */
export interface ControlHooks {
  reset(): void;
  url(): string;
}

const controlErrors: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (res.headersSent) return next(error);
  if (error instanceof z.ZodError) return res.status(400).json({ error: z.prettifyError(error) });
  if (error instanceof ControlError) return res.status(error.status).json({ error: error.message });
  const message = error instanceof Error ? error.message : String(error);
  return res.status(500).json({ error: message });
};

/** The control API under `/_sim`: act as people and as Meta, configure, and read back what happened. */
export function controlRoutes(ctx: SimContext, hooks: ControlHooks): Router {
  const router = Router();
  router.use(peopleControlRoutes(ctx));
  router.use(pageControlRoutes(ctx));
  router.use(setupRoutes(ctx, hooks));
  router.use(appCallbackRoutes(ctx));
  router.use(readbackRoutes(ctx, hooks));
  router.use(controlErrors);
  return router;
}
