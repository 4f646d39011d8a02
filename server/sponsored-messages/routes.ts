import { Router } from 'express';
import { z } from 'zod';
import { marketingRoles, memberOf, requireRole, requireSession } from '../accounts/authorization';
import { sponsoredMessageStates } from '../../models/sponsored-message';
import { objectIdString } from '../platform/ids';
import { isoInstant, listOf, type ApiOperation } from '../platform/openapi/api-operation';
import { draftSchema, type SponsoredMessageService } from './service';

const idParams = z.object({ id: objectIdString });

/** /api/sponsored-messages: marketing, for admins and marketers. Mounted only with FEATURE_SPONSORED_MESSAGES. */
export function createSponsoredMessagesRouter(service: SponsoredMessageService): Router {
  const router = Router();
  router.use(requireSession, requireRole(...marketingRoles));
  const id = (params: unknown) => idParams.parse(params).id;
  router.get('/', async (req, res) => {
    res.json(await service.list(memberOf(req)));
  });
  router.get('/ad-accounts', async (req, res) => {
    res.json(await service.adAccounts(memberOf(req)));
  });
  router.post('/', async (req, res) => {
    res.status(201).json(await service.create(memberOf(req), draftSchema.parse(req.body)));
  });
  router.get('/:id', async (req, res) => {
    res.json(await service.get(memberOf(req), id(req.params)));
  });
  router.post('/:id/refresh', async (req, res) => {
    res.json(await service.refresh(memberOf(req), id(req.params)));
  });
  router.post('/:id/pause', async (req, res) => {
    res.json(await service.pause(memberOf(req), id(req.params)));
  });
  return router;
}

const sponsoredView = z.object({
  id: z.string(),
  pageId: z.string(),
  adAccountId: z.string(),
  name: z.string(),
  text: z.string(),
  budget: z.object({ kind: z.enum(['daily', 'lifetime']), amount: z.number().int(), currency: z.string() }),
  startTime: isoInstant,
  endTime: isoInstant.nullable(),
  state: z.enum(sponsoredMessageStates),
  failure: z.string().nullable(),
  effectiveStatus: z.string().nullable(),
  results: z
    .object({
      impressions: z.number(),
      reach: z.number(),
      spend: z.number(),
      pulledAt: isoInstant,
    })
    .nullable(),
  createdAt: isoInstant,
});
const adAccountsAnswer = listOf(z.object({ id: z.string(), name: z.string(), currency: z.string() }));

const tag = 'Sponsored messages';
export const sponsoredMessagesOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/sponsored-messages',
    summary: 'The sponsored messages of the Pages the member sees, newest first.',
    tag,
    access: 'marketing',
    responses: { 200: { description: 'The sponsored messages.', schema: listOf(sponsoredView) } },
  },
  {
    method: 'get',
    path: '/api/sponsored-messages/ad-accounts',
    summary: 'The ad accounts the signed-in member may advertise with (their own Facebook grant).',
    tag,
    access: 'marketing',
    responses: { 200: { description: 'The ad accounts.', schema: adAccountsAnswer } },
  },
  {
    method: 'post',
    path: '/api/sponsored-messages',
    summary:
      'Create a sponsored message (budget, schedule, message) in the member’s ad account; Meta delivers it to people who messaged the Page.',
    tag,
    access: 'marketing',
    body: draftSchema,
    responses: { 201: { description: 'Created and running.', schema: sponsoredView } },
  },
  {
    method: 'get',
    path: '/api/sponsored-messages/:id',
    summary: 'One sponsored message with its last pulled status and results.',
    tag,
    access: 'marketing',
    params: idParams,
    responses: { 200: { description: 'The sponsored message.', schema: sponsoredView } },
  },
  {
    method: 'post',
    path: '/api/sponsored-messages/:id/refresh',
    summary: 'Read its status and results from Meta now.',
    tag,
    access: 'marketing',
    params: idParams,
    responses: { 200: { description: 'The sponsored message, refreshed.', schema: sponsoredView } },
  },
  {
    method: 'post',
    path: '/api/sponsored-messages/:id/pause',
    summary: 'Pause it at Meta (the campaign and everything under it).',
    tag,
    access: 'marketing',
    params: idParams,
    responses: { 200: { description: 'Paused.', schema: sponsoredView } },
  },
];
