import { Router } from 'express';
import type { SimContext } from '../context';
import { sendApiRoutes } from './send-api';

/** Every Graph route; the more specific paths come before `/:id`. */
export function graphRoutes(ctx: SimContext): Router {
  const router = Router();
  router.use(sendApiRoutes(ctx));
  return router;
}
