import { Router } from 'express';
import { memberOf, requireRole, requireSession } from '../accounts/authorization';
import { draftSchema, scheduleSchema, type BroadcastService } from './service';

const estimateSchema = draftSchema.pick({ pages: true, audience: true, purpose: true });

/** Broadcasts are marketing: workspace admins only (issue 4's role table). */
export function createBroadcastsRouter(service: BroadcastService): Router {
  const router = Router();
  router.use(requireSession, requireRole('admin'));
  const ws = (req: Parameters<typeof memberOf>[0]) => memberOf(req).workspaceId;
  const id = (params: Record<string, string | string[] | undefined>) => String(params.id);

  router.get('/', async (req, res) => {
    res.json({ broadcasts: await service.list(ws(req)) });
  });
  router.post('/', async (req, res) => {
    res.status(201).json(await service.create(ws(req), draftSchema.parse(req.body), memberOf(req).userId));
  });
  router.post('/estimate', async (req, res) => {
    res.json(await service.estimate(ws(req), estimateSchema.parse(req.body)));
  });
  router.get('/:id', async (req, res) => {
    res.json(await service.get(ws(req), id(req.params)));
  });
  router.put('/:id', async (req, res) => {
    res.json(await service.update(ws(req), id(req.params), draftSchema.parse(req.body)));
  });
  router.get('/:id/estimate', async (req, res) => {
    res.json(await service.estimateOf(ws(req), id(req.params)));
  });
  router.post('/:id/send', async (req, res) => {
    res.json(await service.sendNow(ws(req), id(req.params)));
  });
  router.post('/:id/schedule', async (req, res) => {
    res.json(await service.schedule(ws(req), id(req.params), scheduleSchema.parse(req.body)));
  });
  for (const action of ['pause', 'resume', 'cancel'] as const) {
    router.post(`/:id/${action}`, async (req, res) => {
      res.json(await service[action](ws(req), id(req.params)));
    });
  }
  return router;
}
