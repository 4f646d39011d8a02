import { Router } from 'express';
import { BadRequest, Forbidden, Unauthorized } from '../server/platform/errors';
import type { Logger } from '../server/platform/logger';
import { observeWebhookAck } from '../server/platform/metrics';
import type { AckPressure } from './ack-pressure';
import { envelopeSchema } from './envelope';
import type { EventProcessor } from './event-processor';
import { isValidSignature } from './signature';
import { pageEventsOf } from './page-events';

export interface WebhookReceiverOptions {
  verifyToken: string;
  appSecret: string;
  logger: Logger;
  processor: EventProcessor;
  ackPressure: AckPressure;
}

/** `/webhooks/facebook`: the verification handshake and the signed event POSTs. */
export function createWebhookRouter({
  verifyToken,
  appSecret,
  logger,
  processor,
  ackPressure,
}: WebhookReceiverOptions): Router {
  const router = Router();

  router.get('/', (req, res) => {
    const { 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': challenge } = req.query;
    if (mode !== 'subscribe' || token !== verifyToken || typeof challenge !== 'string') {
      throw new Forbidden('The verify token does not match.');
    }
    res.type('text/plain').send(challenge);
  });

  router.post('/', (_req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      observeWebhookAck(seconds, res.statusCode);
      ackPressure.observe(seconds * 1000);
    });
    next();
  });
  router.post('/', async (req, res) => {
    if (!isValidSignature(req.rawBody ?? Buffer.alloc(0), req.get('x-hub-signature-256'), appSecret)) {
      throw new Unauthorized('Missing or invalid X-Hub-Signature-256.');
    }
    const envelope = envelopeSchema.safeParse(req.body);
    if (!envelope.success) {
      throw new BadRequest('The webhook envelope lacks object or entry[].', {
        issues: envelope.error.issues,
      });
    }
    // The app may be subscribed to other products' webhooks (`user`, `instagram`, ...): none is a Page event.
    // Answering 200 stops Meta retrying what we will never read.
    if (envelope.data.object !== 'page') {
      logger.warn({ object: envelope.data.object.slice(0, 64) }, 'webhook for another product dropped');
      res.sendStatus(200);
      return;
    }
    const { events, dropped } = pageEventsOf(envelope.data);
    for (const item of dropped) logger.warn(item, 'webhook item dropped');
    const { stored, duplicates, unwanted } = await processor.takeIn(events);
    logger.debug(
      { received: events.length, stored, duplicates, unwanted, dropped: dropped.length },
      'webhook stored',
    );
    res.sendStatus(200);
  });

  return router;
}
