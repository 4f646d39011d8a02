import { Router } from 'express';
import { z } from 'zod';
import {
  marketingRoles,
  memberOf,
  requireRole,
  requireSession,
  requireSessionOrBackTo,
} from '../accounts/authorization';
import { BadRequest, DomainError } from '../platform/errors';
import type { ApiOperation } from '../platform/openapi/api-operation';
import { objectIdString } from '../platform/ids';
import {
  xAdsCallbackQuerySchema,
  xAdsConnectionChangeSchema,
  xAdsConnectionDraftSchema,
  type XAdsConnections,
} from './connections';
import type { XAdsMetrics } from './metrics';
import { xAdsRoles } from './role-metrics';

const idParams = z.object({ id: objectIdString });

/** /api/x-ads: connections (privacy as Pages), the role table, metrics, and X's OAuth callback. */
export function createXAdsRouter(connections: XAdsConnections, metrics: XAdsMetrics): Router {
  const router = Router();
  const id = (params: unknown) => idParams.parse(params).id;
  // A person's browser lands here from X: whatever went wrong is told on the X Ads screen, never as a JSON document.
  router.get('/callback', requireSessionOrBackTo('/x-ads'), async (req, res) => {
    const answer = xAdsCallbackQuerySchema.safeParse(req.query);
    try {
      if (!answer.success) throw new BadRequest('X sent back an answer Pagewire cannot read: connect again.');
      const connectionId = await connections.finish(memberOf(req), answer.data);
      res.redirect(303, `/x-ads?connected=${connectionId}`);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      res.redirect(303, `/x-ads?error=${encodeURIComponent(error.message)}`);
    }
  });
  router.use(requireSession);

  router.get('/roles', (_req, res) => {
    res.json({ data: xAdsRoles });
  });
  router.get('/connections', async (req, res) => {
    res.json(await connections.list(memberOf(req)));
  });
  router.post('/connections', requireRole(...marketingRoles), async (req, res) => {
    res.status(201).json(await connections.start(memberOf(req), xAdsConnectionDraftSchema.parse(req.body)));
  });
  router.get('/connections/:id', async (req, res) => {
    res.json(await connections.get(memberOf(req), id(req.params)));
  });
  router.patch('/connections/:id', async (req, res) => {
    res.json(
      await connections.change(memberOf(req), id(req.params), xAdsConnectionChangeSchema.parse(req.body)),
    );
  });
  router.delete('/connections/:id', async (req, res) => {
    await connections.remove(memberOf(req), id(req.params));
    res.status(204).end();
  });
  router.get('/connections/:id/metrics', async (req, res) => {
    res.json(await metrics.read(memberOf(req), id(req.params)));
  });
  router.post('/connections/:id/pull', requireRole(...marketingRoles), async (req, res) => {
    const connectionId = id(req.params);
    await connections.visible(memberOf(req), connectionId);
    await metrics.pull(connectionId);
    res.json(await metrics.read(memberOf(req), connectionId));
  });
  return router;
}

const connectionView = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  mayChange: z.boolean(),
});
const tag = 'X Ads';

export const xAdsOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/x-ads/roles',
    summary: 'The ads-account roles X names and which metrics each lets Pagewire read.',
    tag,
    access: 'member',
    responses: {
      200: { description: 'The role table.', schema: z.looseObject({ data: z.array(z.looseObject({})) }) },
    },
  },
  {
    method: 'get',
    path: '/api/x-ads/connections',
    summary:
      'The X Ads connections the member may see (shared with the workspace, a team of theirs, or them).',
    tag,
    access: 'member',
    responses: {
      200: {
        description: 'The connections, and whether the member may connect one and pull metrics.',
        schema: z.looseObject({
          data: z.array(connectionView),
          can: z.object({ connect: z.boolean(), pull: z.boolean() }),
        }),
      },
    },
  },
  {
    method: 'post',
    path: '/api/x-ads/connections',
    summary: "Start connecting X Ads: answers X's authorize address to send the person to.",
    tag,
    access: 'marketing',
    body: xAdsConnectionDraftSchema,
    responses: {
      201: { description: 'Where to authorize.', schema: z.looseObject({ authorizeUrl: z.string() }) },
    },
  },
  {
    method: 'get',
    path: '/api/x-ads/callback',
    summary:
      'Where X sends the person back; creates the connection and redirects to the X Ads screen, with `connected` or a readable `error`.',
    tag,
    access: 'member',
    query: xAdsCallbackQuerySchema,
    responses: {
      303: { description: 'To the X Ads screen: `?connected={id}`, or `?error=` saying what went wrong.' },
    },
  },
  {
    method: 'get',
    path: '/api/x-ads/connections/:id',
    summary: 'One connection: status, who connected it and when, privacy, ads accounts and roles.',
    tag,
    access: 'member',
    params: idParams,
    responses: { 200: { description: 'The connection.', schema: connectionView } },
  },
  {
    method: 'patch',
    path: '/api/x-ads/connections/:id',
    summary: 'Rename a connection or change its privacy (admins, or who connected it).',
    tag,
    access: 'member',
    params: idParams,
    body: xAdsConnectionChangeSchema,
    responses: { 200: { description: 'The connection.', schema: connectionView } },
  },
  {
    method: 'delete',
    path: '/api/x-ads/connections/:id',
    summary: 'Disconnect: forgets the tokens and the metrics pulled with them.',
    tag,
    access: 'member',
    params: idParams,
    responses: { 204: { description: 'Disconnected.' } },
  },
  {
    method: 'get',
    path: '/api/x-ads/connections/:id/metrics',
    summary: "Daily account and campaign metrics, per ads account, as the connecting person's roles allow.",
    tag,
    access: 'member',
    params: idParams,
    responses: {
      200: { description: 'The metrics.', schema: z.looseObject({ data: z.array(z.looseObject({})) }) },
    },
  },
  {
    method: 'post',
    path: '/api/x-ads/connections/:id/pull',
    summary: 'Pull the metrics now rather than at the next scheduled pull.',
    tag,
    access: 'marketing',
    params: idParams,
    responses: {
      200: { description: 'The metrics.', schema: z.looseObject({ data: z.array(z.looseObject({})) }) },
    },
  },
];
