import { Router } from 'express';
import { z } from 'zod';
import { memberOf, requireRole, requireSession } from '../accounts/authorization';
import { objectIdString } from '../platform/ids';
import {
  deliveriesQuerySchema,
  endpointChangeSchema,
  endpointDraftSchema,
  type EndpointService,
} from './endpoints';

const idParams = z.object({ id: objectIdString });

/** /api/webhook-endpoints and /api/webhook-deliveries: the workspace's admins only. */
export function createOutgoingWebhooksRouters(service: EndpointService): { path: string; router: Router }[] {
  const router = Router();
  router.use(requireSession, requireRole('admin'));
  const id = (params: unknown) => idParams.parse(params).id;

  router.get('/', async (req, res) => {
    res.json(await service.list(memberOf(req)));
  });
  router.post('/', async (req, res) => {
    res.status(201).json(await service.create(memberOf(req), endpointDraftSchema.parse(req.body)));
  });
  router.patch('/:id', async (req, res) => {
    res.json(await service.update(memberOf(req), id(req.params), endpointChangeSchema.parse(req.body)));
  });
  router.delete('/:id', async (req, res) => {
    await service.remove(memberOf(req), id(req.params));
    res.status(204).end();
  });
  router.post('/:id/rotate-secret', async (req, res) => {
    res.json(await service.rotateSecret(memberOf(req), id(req.params)));
  });
  router.get('/:id/deliveries', async (req, res) => {
    res.json(await service.deliveries(memberOf(req), id(req.params), deliveriesQuerySchema.parse(req.query)));
  });

  const deliveries = Router();
  deliveries.use(requireSession, requireRole('admin'));
  deliveries.post('/:id/replay', async (req, res) => {
    res.json(await service.replay(memberOf(req), id(req.params)));
  });
  return [
    { path: '/api/webhook-endpoints', router },
    { path: '/api/webhook-deliveries', router: deliveries },
  ];
}
