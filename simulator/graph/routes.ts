import { Router } from 'express';
import type { SimContext } from '../context';
import { appSubscriptionRoutes } from './app-subscriptions';
import { attachmentRoutes } from './attachments';
import { feedRoutes } from './feed-routes';
import { handoverRoutes } from './handover';
import { loginRoutes } from './login';
import { marketingRoutes } from './marketing';
import { messengerProfileRoutes } from './messenger-profile';
import { oauthDialogRoutes } from './oauth-dialog';
import { objectRoutes } from './objects';
import { pageRoutes } from './pages';
import { sendApiRoutes } from './send-api';

/** Every Graph route; the fixed paths and `/{id}/{edge}` come before the bare `/{id}` node routes. */
export function graphRoutes(ctx: SimContext): Router {
  const router = Router();
  router.use(oauthDialogRoutes(ctx));
  router.use(loginRoutes(ctx));
  router.use(marketingRoutes(ctx));
  router.use(pageRoutes(ctx));
  router.use(sendApiRoutes(ctx));
  router.use(messengerProfileRoutes(ctx));
  router.use(feedRoutes(ctx));
  router.use(handoverRoutes(ctx));
  router.use(attachmentRoutes(ctx));
  router.use(appSubscriptionRoutes(ctx));
  router.use(objectRoutes(ctx));
  return router;
}
