import { Router } from 'express';
import { z } from 'zod';
import { marketingRoles, memberOf, requireRole, requireSession } from '../accounts/authorization';
import { checkContent, contentCheckAnswer } from '../messaging/message-content';
import { objectIdString } from '../platform/ids';
import {
  audienceOptionsAnswer,
  broadcastAnswer,
  broadcastList,
  broadcastWithTotals,
  estimateAnswer,
  recipientsAnswer,
  resultsAnswer,
} from './answers';
import type { ApiOperation } from '../platform/openapi/api-operation';
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

const tag = 'Broadcasts';
export const broadcastsOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/broadcasts',
    summary: 'Broadcasts, newest first.',
    tag,
    access: 'marketing',
    query: listQuerySchema,
    responses: { 200: { description: 'The broadcasts.', schema: broadcastList } },
  },
  {
    method: 'post',
    path: '/api/broadcasts',
    summary: 'Create a draft.',
    tag,
    access: 'marketing',
    body: draftSchema,
    responses: { 201: { description: 'The draft.', schema: broadcastAnswer } },
  },
  {
    method: 'post',
    path: '/api/broadcasts/estimate',
    summary: 'How many people a draft would reach, and why the others are left out.',
    tag,
    access: 'marketing',
    body: estimateSchema,
    responses: { 200: { description: 'The estimate.', schema: estimateAnswer } },
  },
  {
    method: 'post',
    path: '/api/broadcasts/content-check',
    summary: 'What Facebook would refuse in a message; the problems are the answer, not a 400.',
    tag,
    access: 'marketing',
    body: contentCheckSchema,
    responses: { 200: { description: 'The check.', schema: contentCheckAnswer } },
  },
  {
    method: 'get',
    path: '/api/broadcasts/audience-options',
    summary: 'The tags and fields an audience may select on.',
    tag,
    access: 'marketing',
    responses: { 200: { description: 'The options.', schema: audienceOptionsAnswer } },
  },
  {
    method: 'get',
    path: '/api/broadcasts/:id',
    summary: 'One broadcast.',
    tag,
    access: 'marketing',
    params: idParams,
    responses: { 200: { description: 'The broadcast.', schema: broadcastWithTotals } },
  },
  {
    method: 'put',
    path: '/api/broadcasts/:id',
    summary: 'Edit a draft.',
    tag,
    access: 'marketing',
    params: idParams,
    body: draftSchema,
    responses: { 200: { description: 'The broadcast.', schema: broadcastAnswer } },
  },
  {
    method: 'get',
    path: '/api/broadcasts/:id/estimate',
    summary: 'The estimate of a saved draft.',
    tag,
    access: 'marketing',
    params: idParams,
    responses: { 200: { description: 'The estimate.', schema: estimateAnswer } },
  },
  {
    method: 'get',
    path: '/api/broadcasts/:id/results',
    summary: 'Delivered, read, clicked and failed counts.',
    tag,
    access: 'marketing',
    params: idParams,
    responses: { 200: { description: 'The results.', schema: resultsAnswer } },
  },
  {
    method: 'get',
    path: '/api/broadcasts/:id/recipients',
    summary: 'Recipients and their outcome.',
    tag,
    access: 'marketing',
    params: idParams,
    query: recipientQuerySchema,
    responses: { 200: { description: 'A page of recipients.', schema: recipientsAnswer } },
  },
  {
    method: 'post',
    path: '/api/broadcasts/:id/send',
    summary: 'Send now.',
    tag,
    access: 'marketing',
    params: idParams,
    responses: { 200: { description: 'The broadcast.', schema: broadcastAnswer } },
  },
  {
    method: 'post',
    path: '/api/broadcasts/:id/schedule',
    summary: 'Schedule at a local time in a time zone.',
    tag,
    access: 'marketing',
    params: idParams,
    body: scheduleSchema,
    responses: { 200: { description: 'The broadcast.', schema: broadcastAnswer } },
  },
  {
    method: 'post',
    path: '/api/broadcasts/:id/pause',
    summary: 'Pause sending.',
    tag,
    access: 'marketing',
    params: idParams,
    responses: { 200: { description: 'The broadcast.', schema: broadcastAnswer } },
  },
  {
    method: 'post',
    path: '/api/broadcasts/:id/resume',
    summary: 'Resume sending.',
    tag,
    access: 'marketing',
    params: idParams,
    responses: { 200: { description: 'The broadcast.', schema: broadcastAnswer } },
  },
  {
    method: 'post',
    path: '/api/broadcasts/:id/cancel',
    summary: 'Cancel.',
    tag,
    access: 'marketing',
    params: idParams,
    responses: { 200: { description: 'The broadcast.', schema: broadcastAnswer } },
  },
];
