import type { ApiOperation } from '../platform/openapi/api-operation';
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

const endpointView = z.looseObject({ id: z.string(), url: z.string(), events: z.array(z.string()) });
const deliveryView = z.looseObject({ id: z.string() });

export const outgoingWebhooksOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/webhook-endpoints',
    summary: "The workspace's webhook endpoints and the events one may subscribe to.",
    tag: 'Outgoing webhooks',
    access: 'admin',
    responses: {
      200: {
        description: 'The endpoints, and each event one may subscribe to with what it means.',
        schema: z.object({
          data: z.array(endpointView),
          eventTypes: z.array(z.object({ type: z.string(), description: z.string() })),
        }),
      },
    },
  },
  {
    method: 'post',
    path: '/api/webhook-endpoints',
    summary: 'Subscribe a URL to events; the signing secret is in this answer only.',
    tag: 'Outgoing webhooks',
    access: 'admin',
    body: endpointDraftSchema,
    responses: { 201: { description: 'The endpoint and its secret.', schema: z.looseObject({}) } },
  },
  {
    method: 'patch',
    path: '/api/webhook-endpoints/:id',
    summary: "Change an endpoint's URL, events or whether it is active.",
    tag: 'Outgoing webhooks',
    access: 'admin',
    params: idParams,
    body: endpointChangeSchema,
    responses: { 200: { description: 'The endpoint.', schema: z.looseObject({}) } },
  },
  {
    method: 'delete',
    path: '/api/webhook-endpoints/:id',
    summary: 'Remove an endpoint.',
    tag: 'Outgoing webhooks',
    access: 'admin',
    params: idParams,
    responses: { 204: { description: 'Removed.' } },
  },
  {
    method: 'post',
    path: '/api/webhook-endpoints/:id/rotate-secret',
    summary: 'A new signing secret, in this answer only; the old one signs nothing more.',
    tag: 'Outgoing webhooks',
    access: 'admin',
    params: idParams,
    responses: { 200: { description: 'The new secret.', schema: z.looseObject({}) } },
  },
  {
    method: 'get',
    path: '/api/webhook-endpoints/:id/deliveries',
    summary: "An endpoint's deliveries with every attempt's status and latency, newest first.",
    tag: 'Outgoing webhooks',
    access: 'admin',
    params: idParams,
    query: deliveriesQuerySchema,
    responses: {
      200: { description: 'A page of deliveries.', schema: z.looseObject({ data: z.array(deliveryView) }) },
    },
  },
  {
    method: 'post',
    path: '/api/webhook-deliveries/:id/replay',
    summary: 'Send a delivery again, with the same event id.',
    tag: 'Outgoing webhooks',
    access: 'admin',
    params: idParams,
    responses: { 200: { description: 'The delivery, queued again.', schema: z.looseObject({}) } },
  },
];
