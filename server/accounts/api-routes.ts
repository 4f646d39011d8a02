import { Router } from 'express';
import { z } from 'zod';
import { roles } from '../../models/membership';
import { NotFound } from '../platform/errors';
import { objectIdString } from '../platform/ids';
import { isoInstant, listOf, type ApiOperation } from '../platform/openapi/api-operation';
import { findMember, memberOf, requireRole, requireSession } from './authorization';
import { csrfTokenFor } from './csrf';
import type { InvitationService } from './invitations';
import type { MemberService } from './members';
import type { RequestedPermission } from './permissions';
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
  /** The permissions this deployment asks for at login (server/accounts/permissions.ts). */
  permissions: readonly RequestedPermission[];
  members: MemberService;
  invitations: InvitationService;
  /** Called after a workspace switch replaced a session, so the old session's sockets close. */
  onSessionReplaced(sessionId: string): void;
}): Router {
  const { members, invitations } = deps;
  const router = Router();

  router.get('/permissions', (_req, res) => {
    res.json({ data: deps.permissions });
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

const role = z.enum(roles);
/** Absent when the member is in no team. */
const teamIds = z.array(z.string()).optional();
const meAnswer = z.object({
  user: z.object({ id: z.string(), name: z.string(), email: z.string().nullable() }),
  workspace: z.object({ id: z.string(), name: z.string() }),
  role,
  teamIds,
  can: z.object({
    automate: z.boolean(),
    broadcast: z.boolean(),
    /** Sponsored messages (FEATURE_SPONSORED_MESSAGES) and phone invitations (FEATURE_PHONE_INVITES), for marketers. */
    sponsor: z.boolean(),
    invitePhones: z.boolean(),
  }),
  operator: z.boolean(),
});
const workspacesAnswer = listOf(z.object({ id: z.string(), name: z.string(), role, current: z.boolean() }));
const membersAnswer = listOf(
  z.object({ userId: z.string(), name: z.string().nullable(), role, teamIds }),
).extend({ roles: z.array(role) });
const teamsAnswer = listOf(z.object({ id: z.string(), memberCount: z.number().int() }));
const pagesSeenAnswer = listOf(
  z.object({
    id: z.string(),
    name: z.string(),
    sharing: z.object({ scope: z.string(), teamId: z.string().nullable() }),
  }),
);
const invitationsAnswer = listOf(
  z.object({ id: z.string(), role, expiresAt: isoInstant, createdAt: isoInstant }),
);
const invitationCreated = z.object({ id: z.string(), role, url: z.url(), expiresAt: isoInstant });
const permissionsAnswer = listOf(z.object({ name: z.string(), reason: z.string(), feature: z.string() }));

const tag = 'Workspace and members';
/** The routes above as the OpenAPI document shows them (server/platform/openapi). */
export const accountsApiOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/permissions',
    summary: 'The Facebook permissions Pagewire asks for, and why.',
    tag,
    access: 'public',
    responses: { 200: { description: 'The permissions.', schema: permissionsAnswer } },
  },
  {
    method: 'get',
    path: '/api/csrf-token',
    summary: 'The CSRF token a session sends as x-csrf-token on every change.',
    tag,
    access: 'public',
    responses: { 200: { description: 'The token.', schema: z.object({ csrfToken: z.string() }) } },
  },
  {
    method: 'get',
    path: '/api/me',
    summary: 'Who is signed in, in which workspace, with which role.',
    tag,
    access: 'member',
    responses: { 200: { description: 'The member.', schema: meAnswer } },
  },
  {
    method: 'get',
    path: '/api/workspaces',
    summary: 'The workspaces the signed-in user belongs to.',
    tag,
    access: 'member',
    responses: { 200: { description: 'The workspaces.', schema: workspacesAnswer } },
  },
  {
    method: 'post',
    path: '/api/session/workspace',
    summary: 'Switch the session to another of the user’s workspaces.',
    tag,
    access: 'member',
    body: workspaceSwitch,
    responses: { 204: { description: 'Switched (the session cookie is replaced).' } },
  },
  {
    method: 'get',
    path: '/api/members',
    summary: 'The workspace’s members, and the roles a member may be given.',
    tag,
    access: 'member',
    responses: { 200: { description: 'The members.', schema: membersAnswer } },
  },
  {
    method: 'get',
    path: '/api/teams',
    summary: 'The workspace’s teams.',
    tag,
    access: 'member',
    responses: { 200: { description: 'The teams.', schema: teamsAnswer } },
  },
  {
    method: 'patch',
    path: '/api/members/:userId',
    summary: 'Change a member’s role or teams.',
    tag,
    access: 'admin',
    params: memberParams,
    body: memberChange,
    responses: { 204: { description: 'Changed.' } },
  },
  {
    method: 'delete',
    path: '/api/members/:userId',
    summary: 'Remove a member from the workspace.',
    tag,
    access: 'admin',
    params: memberParams,
    responses: { 204: { description: 'Removed.' } },
  },
  {
    method: 'get',
    path: '/api/members/:userId/pages',
    summary: 'The Pages a member sees.',
    tag,
    access: 'admin',
    params: memberParams,
    responses: { 200: { description: 'The Pages.', schema: pagesSeenAnswer } },
  },
  {
    method: 'get',
    path: '/api/invitations',
    summary: 'The invitations not yet accepted.',
    tag,
    access: 'admin',
    responses: { 200: { description: 'The invitations.', schema: invitationsAnswer } },
  },
  {
    method: 'post',
    path: '/api/invitations',
    summary: 'Invite someone with a role: the answer carries the link to send them.',
    tag,
    access: 'admin',
    body: invitationBody,
    responses: { 201: { description: 'The invitation.', schema: invitationCreated } },
  },
  {
    method: 'delete',
    path: '/api/invitations/:id',
    summary: 'Revoke an invitation.',
    tag,
    access: 'admin',
    params: invitationParams,
    responses: { 204: { description: 'Revoked.' } },
  },
];
