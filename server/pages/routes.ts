import { Router } from 'express';
import { z } from 'zod';
import { sharingScopes } from '../../models/page';
import { memberOf, requirePageAccess, requireRole, requireSession } from '../accounts/authorization';
import { metaIdString, objectIdString } from '../platform/ids';
import type { PageService } from './page-service';

const connectBody = z.strictObject({ fbPageIds: z.array(metaIdString).min(1).max(50) });
const automationPauseBody = z.strictObject({ note: z.string().max(500).default('') });
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
