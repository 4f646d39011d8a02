import type { Router } from 'express';
import type { WebhookHandlers } from '../webhooks/handler-registry';
import { createCaptureHandler } from './comment-capture/capture-handler';
import type { CaptureDeps } from './comment-capture/capture-deps';
import { createCaptureService } from './comment-capture/capture-service';
import { createCommentOptInHandler } from './comment-capture/follow-up';
import type { BotDeps } from './engine/bot-deps';
import { createBotResponder } from './engine/bot-responder';
import { createBotService } from './engine/bot-service';
import { createMessengerProfileService } from './engine/messenger-profile';
import { createBotsRouter } from './routes';

export type BotsFeatureDeps = CaptureDeps &
  BotDeps & { graph: CaptureDeps['graph'] & Parameters<typeof createMessengerProfileService>[0]['graph'] };

export interface BotsFeature {
  routers: { path: string; router: Router }[];
  /** Before live chat's handlers: a commenter's answer makes a subscriber whose opt-in source is the comment. */
  registerBeforeLiveChat(handlers: WebhookHandlers): void;
  /** After live chat's handlers, which record the subscriber, conversation and message the bot reads. */
  registerWebhookHandlers(handlers: WebhookHandlers): void;
}

/** Comment capture and the bot: automated replies, once per interaction, never where they are not wanted. */
export function createBotsFeature(deps: BotsFeatureDeps): BotsFeature {
  const logger = deps.logger.child({ component: 'bots' });
  const captureDeps = { ...deps, logger };
  const botDeps = { ...deps, logger };
  const router = createBotsRouter({
    captures: createCaptureService(captureDeps),
    bot: createBotService(deps.settings),
    profile: createMessengerProfileService(deps),
  });
  return {
    routers: [{ path: '/api', router }],
    registerBeforeLiveChat(handlers) {
      handlers.on('message', createCommentOptInHandler(botDeps));
    },
    registerWebhookHandlers(handlers) {
      const respond = createBotResponder(botDeps);
      handlers.on('feed:comment', createCaptureHandler(captureDeps));
      handlers.on('message', respond);
      handlers.on('postback', respond);
    },
  };
}
