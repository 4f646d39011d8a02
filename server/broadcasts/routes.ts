import { Router } from 'express';
import { z } from 'zod';
import { marketingRoles, memberOf, requireRole, requireSession } from '../accounts/authorization';
import { checkContent } from '../messaging/message-content';
import { objectIdString } from '../platform/ids';
import {
  draftSchema,
  listQuerySchema,
  recipientQuerySchema,
  scheduleSchema,
  type BroadcastService,
} from './service';

const estimateSchema = draftSchema.pick({ pages: true, audience: true, purpose: true });
/** Any content at all: what is wrong with it is the answer, not a 400. */
const contentCheckSchema = z.strictObject({ content: z.unknown() });
const idParams = z.object({ id: objectIdString });

/** Broadcasts are marketing: the workspace's admins and marketers, never its agents. */
export function createBroadcastsRouter(service: BroadcastService): Router {
  const router = Router();
  router.use(requireSession, requireRole(...marketingRoles));
  const id = (params: unknown) => idParams.parse(params).id;

  router.get('/', async (req, res) => {
    res.json(await service.list(memberOf(req), listQuerySchema.parse(req.query)));
  });
  router.post('/', async (req, res) => {
    res.status(201).json(await service.create(memberOf(req), draftSchema.parse(req.body)));
  });
  router.post('/estimate', async (req, res) => {
    res.json(await service.estimate(memberOf(req), estimateSchema.parse(req.body)));
  });
  router.post('/content-check', (req, res) => {
    res.json(checkContent(contentCheckSchema.parse(req.body).content));
  });
  router.get('/audience-options', async (req, res) => {
    res.json(await service.audienceOptions(memberOf(req)));
  });
  router.get('/:id', async (req, res) => {
    res.json(await service.get(memberOf(req), id(req.params)));
  });
  router.put('/:id', async (req, res) => {
    res.json(await service.update(memberOf(req), id(req.params), draftSchema.parse(req.body)));
  });
  router.get('/:id/estimate', async (req, res) => {
    res.json(await service.estimateOf(memberOf(req), id(req.params)));
  });
  router.get('/:id/results', async (req, res) => {
    res.json(await service.results(memberOf(req), id(req.params)));
  });
  router.get('/:id/recipients', async (req, res) => {
    res.json(await service.recipients(memberOf(req), id(req.params), recipientQuerySchema.parse(req.query)));
  });
  router.post('/:id/send', async (req, res) => {
    res.json(await service.sendNow(memberOf(req), id(req.params)));
  });
  router.post('/:id/schedule', async (req, res) => {
    res.json(await service.schedule(memberOf(req), id(req.params), scheduleSchema.parse(req.body)));
  });
  for (const action of ['pause', 'resume', 'cancel'] as const) {
    router.post(`/:id/${action}`, async (req, res) => {
      res.json(await service[action](memberOf(req), id(req.params)));
    });
  }
  return router;
}
