import { Router } from 'express';
import { z } from 'zod';
import { autopostSources } from '../../models/autopost-feed';
import { memberOf, requireRole, requireSession } from '../accounts/authorization';
import type { ApiOperation } from '../platform/openapi/api-operation';
import { objectIdString } from '../platform/ids';
import {
  feedChangeSchema,
  feedDraftSchema,
  itemsQuerySchema,
  xConsentSchema,
  type FeedService,
} from './feeds';

const idParams = z.object({ id: objectIdString });

/** /api/autoposting/feeds: the workspace's admins. */
export function createAutopostingRouter(service: FeedService): Router {
  const router = Router();
  router.use(requireSession, requireRole('admin'));
  const id = (params: unknown) => idParams.parse(params).id;

  router.get('/', async (req, res) => {
    res.json(await service.list(memberOf(req)));
  });
  router.post('/', async (req, res) => {
    res.status(201).json(await service.create(memberOf(req), feedDraftSchema.parse(req.body)));
  });
  router.patch('/:id', async (req, res) => {
    res.json(await service.update(memberOf(req), id(req.params), feedChangeSchema.parse(req.body)));
  });
  router.delete('/:id', async (req, res) => {
    await service.remove(memberOf(req), id(req.params));
    res.status(204).end();
  });
  router.post('/:id/poll', async (req, res) => {
    res.json(await service.pollNow(memberOf(req), id(req.params)));
  });
  router.get('/:id/items', async (req, res) => {
    res.json(await service.items(memberOf(req), id(req.params), itemsQuerySchema.parse(req.query)));
  });
  router.put('/:id/x-consent', async (req, res) => {
    res.json(await service.grantXConsent(memberOf(req), id(req.params), xConsentSchema.parse(req.body)));
  });
  router.delete('/:id/x-consent', async (req, res) => {
    await service.revokeXConsent(memberOf(req), id(req.params));
    res.status(204).end();
  });
  return router;
}

/** /api/autoposting/deliveries: what an admin does with one delivery of a feed they see. */
export function createAutopostDeliveriesRouter(service: FeedService): Router {
  const router = Router();
  router.use(requireSession, requireRole('admin'));
  router.post('/:id/send-again', async (req, res) => {
    res.json(await service.sendAgain(memberOf(req), idParams.parse(req.params).id));
  });
  return router;
}

const consentView = z.looseObject({
  id: z.string(),
  xAccountId: z.string(),
  xUsername: z.string().nullable().describe("The X account's @username, without the @."),
  grantedAt: z.string(),
});
const feedView = z.looseObject({
  id: z.string(),
  name: z.string(),
  source: z
    .enum(autopostSources)
    .describe("A feed's address (feed_url) or a connected Page's own posts (page_posts)."),
  url: z.string().nullable(),
  sourcePage: z.looseObject({ id: z.string(), name: z.string().nullable() }).nullable(),
  targets: z.array(z.string()),
  lastError: z.string().nullable(),
  xConsent: consentView.nullable(),
});
const pollView = z.looseObject({
  ok: z.boolean(),
  problem: z.string().nullable(),
  newItems: z.number(),
  baselineItems: z.number(),
});
const deliveryView = z.looseObject({
  id: z.string(),
  target: z.string(),
  status: z
    .string()
    .describe(
      'sending, sent, accepted (an X share waiting for X’s rate limit: see xShare), skipped, failed, or interrupted (its process stopped mid-send: it may or may not have gone out)',
    ),
  detail: z.string().nullable(),
  xShare: z
    .looseObject({
      id: z.string(),
      status: z.string(),
      reason: z.string().nullable(),
      waitingUntil: z.string().nullable(),
    })
    .nullable()
    .describe('An X share as it stands now, for the x_share target.'),
});
const itemView = z.looseObject({ id: z.string(), key: z.string(), deliveries: z.array(deliveryView) });
const tag = 'Autoposting';

export const autopostingOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/autoposting/feeds',
    summary: "The workspace's feeds, their targets, items seen and what was sent, and the X consent wording.",
    tag,
    access: 'admin',
    responses: { 200: { description: 'The feeds.', schema: z.looseObject({ data: z.array(feedView) }) } },
  },
  {
    method: 'post',
    path: '/api/autoposting/feeds',
    summary:
      "Add a feed for a Page, read from a URL or from a connected Page's own posts; its first read marks what it holds as seen, and later new items go to its targets. A Page's posts may not go to that same Page's feed.",
    tag,
    access: 'admin',
    body: feedDraftSchema,
    responses: { 201: { description: 'The feed.', schema: feedView } },
  },
  {
    method: 'patch',
    path: '/api/autoposting/feeds/:id',
    summary: 'Rename a feed, change its targets or interval, or pause and resume it.',
    tag,
    access: 'admin',
    params: idParams,
    body: feedChangeSchema,
    responses: { 200: { description: 'The feed.', schema: feedView } },
  },
  {
    method: 'delete',
    path: '/api/autoposting/feeds/:id',
    summary: 'Remove a feed and what it saw; its X consents stay on record, revoked.',
    tag,
    access: 'admin',
    params: idParams,
    responses: { 204: { description: 'Removed.' } },
  },
  {
    method: 'post',
    path: '/api/autoposting/feeds/:id/poll',
    summary:
      'Read the feed now and send its new items (the scheduled read comes an interval later); a feed that cannot be read answers its problem.',
    tag,
    access: 'admin',
    params: idParams,
    responses: { 200: { description: 'What the read found.', schema: pollView } },
  },
  {
    method: 'get',
    path: '/api/autoposting/feeds/:id/items',
    summary: "The feed's items, newest first, each with what it became on each target and on what basis.",
    tag,
    access: 'admin',
    params: idParams,
    query: itemsQuerySchema,
    responses: {
      200: { description: 'A page of items.', schema: z.looseObject({ data: z.array(itemView) }) },
    },
  },
  {
    method: 'post',
    path: '/api/autoposting/deliveries/:id/send-again',
    summary:
      'Send an interrupted delivery again, once, by an admin’s choice (it may have gone out before: check first); audited with who chose.',
    tag,
    access: 'admin',
    params: idParams,
    responses: {
      200: { description: 'What the send came to.', schema: deliveryView },
      409: { description: 'The delivery is not interrupted (or is being sent again already).' },
    },
  },
  {
    method: 'put',
    path: '/api/autoposting/feeds/:id/x-consent',
    summary: "The X account owner's standing consent to share the feed's new items on that account.",
    tag,
    access: 'admin',
    params: idParams,
    body: xConsentSchema,
    responses: { 200: { description: 'The consent as recorded.', schema: consentView } },
  },
  {
    method: 'delete',
    path: '/api/autoposting/feeds/:id/x-consent',
    summary: 'Revoke the standing consent: the next item is not shared on X.',
    tag,
    access: 'admin',
    params: idParams,
    responses: { 204: { description: 'Revoked.' } },
  },
];
