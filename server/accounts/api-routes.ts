import { Router } from 'express';
import { z } from 'zod';
import { roles } from '../../models/membership';
import { NotFound } from '../platform/errors';
import { objectIdString } from '../platform/ids';
import { findMember, memberOf, requireRole, requireSession } from './authorization';
import { csrfTokenFor } from './csrf';
import type { InvitationService } from './invitations';
import type { MemberService } from './members';
import { requestedPermissions } from './permissions';
import { startSession } from './session';

const memberParams = z.object({ userId: objectIdString });
const invitationParams = z.object({ id: objectIdString });
const memberChange = z
  .strictObject({
    role: z.enum(roles).optional(),
    teamIds: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  })
  .refine((change) => change.role !== undefined || change.teamIds !== undefined, 'Nothing to change.');
const invitationBody = z.strictObject({ role: z.enum(roles) });
const workspaceSwitch = z.strictObject({ workspaceId: objectIdString });

/**
 * /api: the public permission list and CSRF token, then who am I and my workspaces, members, teams and
 * invitations.
 */
export function createAccountsApiRouter(deps: {
  members: MemberService;
  invitations: InvitationService;
  /** Called after a workspace switch replaced a session, so the old session's sockets close. */
  onSessionReplaced(sessionId: string): void;
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

  router.get('/workspaces', requireSession, async (req, res) => {
    res.json({ data: await members.workspacesOf(memberOf(req)) });
  });

  router.post('/session/workspace', requireSession, async (req, res) => {
    const { workspaceId } = workspaceSwitch.parse(req.body);
    const { userId, workspaceId: current } = memberOf(req);
    if (workspaceId === current) return void res.status(204).end();
    if (!(await findMember(userId, workspaceId)))
      throw new NotFound('You are not a member of that workspace.');
    const replaced = req.session.id;
    await startSession(req, { userId, workspaceId });
    deps.onSessionReplaced(replaced);
    res.status(204).end();
  });

  router.get('/members', requireSession, async (req, res) => {
    // The roles a member may be given, so the dashboard offers exactly these.
    res.json({ data: await members.list(memberOf(req).workspaceId), roles });
  });

  router.get('/teams', requireSession, async (req, res) => {
    res.json({ data: await members.teams(memberOf(req).workspaceId) });
  });

  router.patch('/members/:userId', requireSession, requireRole('admin'), async (req, res) => {
    const { userId } = memberParams.parse(req.params);
    await members.change(memberOf(req), userId, memberChange.parse(req.body));
    res.status(204).end();
  });

  router.delete('/members/:userId', requireSession, requireRole('admin'), async (req, res) => {
    const { userId } = memberParams.parse(req.params);
    await members.remove(memberOf(req), userId);
    res.status(204).end();
  });

  router.get('/members/:userId/pages', requireSession, requireRole('admin'), async (req, res) => {
    const { userId } = memberParams.parse(req.params);
    res.json({ data: await members.pagesSeenBy(memberOf(req), userId) });
  });

  router.get('/invitations', requireSession, requireRole('admin'), async (req, res) => {
    res.json({ data: await invitations.listPending(memberOf(req).workspaceId) });
  });

  router.post('/invitations', requireSession, requireRole('admin'), async (req, res) => {
    const { role } = invitationBody.parse(req.body);
    const member = memberOf(req);
    res.status(201).json(await invitations.create(member.workspaceId, member.userId, role));
  });

  router.delete('/invitations/:id', requireSession, requireRole('admin'), async (req, res) => {
    const { id } = invitationParams.parse(req.params);
    await invitations.revoke(memberOf(req), id);
    res.status(204).end();
  });

  return router;
}
