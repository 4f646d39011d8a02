import { Router } from 'express';
import { z } from 'zod';
import { sharingScopes } from '../../models/page';
import { memberOf, requirePageAccess, requireRole, requireSession } from '../accounts/authorization';
import { metaIdString, objectIdString } from '../platform/ids';
import { listOf, type ApiOperation } from '../platform/openapi/api-operation';
import type { PageService } from './page-service';
import { pageViewSchema } from './page-view';

const connectBody = z.strictObject({ fbPageIds: z.array(metaIdString).min(1).max(50) });
const automationPauseBody = z.strictObject({ note: z.string().max(500).default('') });
const pageParams = z.object({ id: objectIdString });
const sharingBody = z.strictObject({
  scope: z.enum(sharingScopes),
  teamId: z.string().min(1).max(100).optional(),
  ownerId: objectIdString.optional(),
});

/** /api/pages: listing and (for admins) connecting, sharing, pausing automation on and disconnecting Pages. */
export function createPagesRouter(pages: PageService): Router {
  const router = Router();
  router.use(requireSession);

  router.get('/available', requireRole('admin'), async (req, res) => {
    res.json({ data: await pages.listAvailable(memberOf(req)) });
  });

  router.get('/', async (req, res) => {
    res.json({ data: await pages.list(memberOf(req)) });
  });

  router.post('/', requireRole('admin'), async (req, res) => {
    const { fbPageIds } = connectBody.parse(req.body);
    res.status(201).json({ data: await pages.connect(memberOf(req), fbPageIds) });
  });

  router.get('/:id', requirePageAccess('id'), async (req, res) => {
    res.json(await pages.get(memberOf(req), req.params.id as string));
  });

  router.patch('/:id', requireRole('admin'), requirePageAccess('id'), async (req, res) => {
    res.json(await pages.changeSharing(memberOf(req), req.params.id as string, sharingBody.parse(req.body)));
  });

  router.post('/:id/automation-pause', requireRole('admin'), requirePageAccess('id'), async (req, res) => {
    const { note } = automationPauseBody.parse(req.body ?? {});
    res.json(await pages.pauseAutomation(memberOf(req), req.params.id as string, note));
  });

  router.delete('/:id/automation-pause', requireRole('admin'), requirePageAccess('id'), async (req, res) => {
    res.json(await pages.resumeAutomation(memberOf(req), req.params.id as string));
  });

  router.delete('/:id', requireRole('admin'), requirePageAccess('id'), async (req, res) => {
    await pages.disconnect(memberOf(req), req.params.id as string);
    res.status(204).end();
  });

  return router;
}

const availableAnswer = listOf(
  z.object({
    fbPageId: z.string(),
    name: z.string(),
    category: z.string().optional(),
    connected: z.boolean(),
  }),
);
const tag = 'Pages';
export const pagesOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/pages/available',
    summary: 'The Facebook Pages the admin manages that could be connected.',
    tag,
    access: 'admin',
    responses: { 200: { description: 'The Pages on Facebook.', schema: availableAnswer } },
  },
  {
    method: 'get',
    path: '/api/pages',
    summary: 'The connected Pages the member may see.',
    tag,
    access: 'member',
    responses: { 200: { description: 'The Pages.', schema: listOf(pageViewSchema) } },
  },
  {
    method: 'post',
    path: '/api/pages',
    summary: 'Connect Pages: subscribe the app to their webhooks and keep their tokens.',
    tag,
    access: 'admin',
    body: connectBody,
    responses: { 201: { description: 'The connected Pages.', schema: listOf(pageViewSchema) } },
  },
  {
    method: 'get',
    path: '/api/pages/:id',
    summary: 'One Page with its health and sharing.',
    tag,
    access: 'member',
    params: pageParams,
    responses: { 200: { description: 'The Page.', schema: pageViewSchema } },
  },
  {
    method: 'patch',
    path: '/api/pages/:id',
    summary: 'Share a Page with the workspace, a team or one member.',
    tag,
    access: 'admin',
    params: pageParams,
    body: sharingBody,
    responses: { 200: { description: 'The Page.', schema: pageViewSchema } },
  },
  {
    method: 'post',
    path: '/api/pages/:id/automation-pause',
    summary: 'Pause the bot, captures and broadcasts on a Page.',
    tag,
    access: 'admin',
    params: pageParams,
    body: automationPauseBody,
    responses: { 200: { description: 'The Page.', schema: pageViewSchema } },
  },
  {
    method: 'delete',
    path: '/api/pages/:id/automation-pause',
    summary: 'Resume automated sends on a Page.',
    tag,
    access: 'admin',
    params: pageParams,
    responses: { 200: { description: 'The Page.', schema: pageViewSchema } },
  },
  {
    method: 'delete',
    path: '/api/pages/:id',
    summary: 'Disconnect a Page.',
    tag,
    access: 'admin',
    params: pageParams,
    responses: { 204: { description: 'Disconnected.' } },
  },
];
