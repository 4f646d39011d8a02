import { Router } from 'express';
import { z } from 'zod';
import { roles } from '../../models/membership';
import { objectIdString } from '../platform/ids';
import { memberOf, requireRole, requireSession } from './authorization';
import { csrfTokenFor } from './csrf';
import type { InvitationService } from './invitations';
import type { MemberService } from './members';
import { requestedPermissions } from './permissions';

const memberParams = z.object({ userId: objectIdString });
const memberChange = z
  .strictObject({
    role: z.enum(roles).optional(),
    teamIds: z.array(z.string().min(1).max(100)).max(50).optional(),
  })
  .refine((change) => change.role !== undefined || change.teamIds !== undefined, 'Nothing to change.');
const invitationBody = z.strictObject({ role: z.enum(roles) });

/** /api: the public permission list and CSRF token, then who am I, members, teams and invitations. */
export function createAccountsApiRouter(deps: {
  members: MemberService;
  invitations: InvitationService;
}): Router {
  const { members, invitations } = deps;
  const router = Router();

  router.get('/permissions', (_req, res) => {
    res.json({ data: requestedPermissions });
  });

  router.get('/csrf-token', (req, res) => {
    res.json({ csrfToken: csrfTokenFor(req) });
  });

  router.get('/me', requireSession, async (req, res) => {
    res.json(await members.describe(memberOf(req)));
  });

  router.get('/members', requireSession, async (req, res) => {
    res.json({ data: await members.list(memberOf(req).workspaceId) });
  });

  router.get('/teams', requireSession, async (req, res) => {
    res.json({ data: await members.teams(memberOf(req).workspaceId) });
  });

  router.patch('/members/:userId', requireSession, requireRole('admin'), async (req, res) => {
    const { userId } = memberParams.parse(req.params);
    await members.change(memberOf(req), userId, memberChange.parse(req.body));
    res.status(204).end();
  });

  router.get('/invitations', requireSession, requireRole('admin'), async (req, res) => {
    res.json({ data: await invitations.listPending(memberOf(req).workspaceId) });
  });

  router.post('/invitations', requireSession, requireRole('admin'), async (req, res) => {
    const { role } = invitationBody.parse(req.body);
    const member = memberOf(req);
    res.status(201).json(await invitations.create(member.workspaceId, member.userId, role));
  });

  return router;
}
