import express, { Router } from 'express';
import { xApiRoutes } from './api-routes';
import type { XContext } from './context';
import { xOAuthRoutes } from './oauth-routes';
import { xErrors } from './problems';

/**
 * X under `/x`: `/x/i/oauth2/authorize` plays x.com's consent page and `/x/2/...` plays api.x.com, so the product
 * reaches it with X_API_URL=`${url}/x` and X_AUTHORIZE_URL=`${url}/x/i/oauth2/authorize`.
 */
export function xRoutes(ctx: XContext): Router {
  const router = Router();
  router.use(express.urlencoded({ extended: false }));
  router.use(xOAuthRoutes(ctx));
  router.use(xApiRoutes(ctx));
  router.use((req, res) => {
    res.status(404).json({
      title: 'Not Found Error',
      detail: `No route ${req.method} ${req.path}`,
      type: 'about:blank',
      status: 404,
    });
  });
  router.use(xErrors);
  return router;
}
