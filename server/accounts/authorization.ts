import type { Request, RequestHandler } from 'express';
import type { SessionData } from 'express-session';
import { isValidObjectId, Types } from 'mongoose';
import { MembershipModel, type Role } from '../../models/membership';
import { PageModel } from '../../models/page';
import { UserModel } from '../../models/user';
import type { Config } from '../config';
import { Forbidden, NotFound, Unauthorized } from '../platform/errors';
import { hasValidCsrfToken, isStateChanging } from './csrf';

/**
 * The one place that decides who may see and do what: REST middleware, the socket guard and the visibility query
 * every feature filters by. Access comes from the Membership, read on every request, so a role change or a removal
 * takes effect at once.
 */
export interface Member {
  userId: string;
  workspaceId: string;
  role: Role;
  teamIds: string[];
  /** Set when an API key acts, as an admin of its workspace would, in the name of the admin who created it. */
  apiKeyId?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    member?: Member;
  }
}

export async function findMember(userId: string, workspaceId: string): Promise<Member | undefined> {
  if (!isValidObjectId(userId) || !isValidObjectId(workspaceId)) return undefined;
  const membership = await MembershipModel.findOne({ user: userId, workspace: workspaceId }).lean();
  if (!membership) return undefined;
  return { userId, workspaceId, role: membership.role, teamIds: membership.teamIds };
}

/** The socket guard and `requireSession` both start here: a session is worth something only with a membership. */
export async function memberForSession(
  session: Partial<SessionData> | undefined,
): Promise<Member | undefined> {
  if (!session?.userId || !session.workspaceId) return undefined;
  return findMember(session.userId, session.workspaceId);
}

/** The member `requireSession` put on the request; a route without `requireSession` fails loudly here. */
export function memberOf(req: Request): Member {
  if (!req.member) throw new Unauthorized('Log in to continue.');
  return req.member;
}

/**
 * 401 without a live membership; 403 for a state-changing request that `isCsrfSafe` refuses. Every route but the jobs
 * dashboard uses `requireSession`, which asks for the session's CSRF token. A request whose API key was let through
 * (server/api-keys/authentication.ts, before routing) has its member already and carries no session to protect.
 */
export function requireSessionWith(isCsrfSafe: (req: Request) => boolean): RequestHandler {
  return async (req, _res, next) => {
    if (req.member?.apiKeyId) return next();
    const member = await memberForSession(req.session);
    if (!member) throw new Unauthorized('Log in to continue.');
    if (isStateChanging(req.method) && !isCsrfSafe(req)) {
      throw new Forbidden(
        'Missing or invalid CSRF token: send the value of GET /api/csrf-token as x-csrf-token.',
      );
    }
    req.member = member;
    next();
  };
}

export const requireSession = requireSessionWith(hasValidCsrfToken);

/**
 * `requireSession` for a page a browser lands on from another site (an OAuth callback): without a session the person
 * is sent back to `screen` with the reason, never shown a JSON document.
 */
export function requireSessionOrBackTo(screen: string): RequestHandler {
  return async (req, res, next) => {
    try {
      await requireSession(req, res, next);
    } catch (error) {
      if (!(error instanceof Unauthorized)) throw error;
      const reason = 'Your Pagewire session ended before you came back: log in, then connect again.';
      res.redirect(303, `${screen}?error=${encodeURIComponent(reason)}`);
    }
  };
}

/** 403 unless the member has one of the roles. */
export function requireRole(...allowed: readonly Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!allowed.includes(memberOf(req).role)) {
      throw new Forbidden(`Only a workspace ${allowed.join(' or ')} may do this.`);
    }
    next();
  };
}

/** Who runs marketing (broadcasts, the bot, the Messenger Profile, comment captures): admins and marketers. */
export const marketingRoles: readonly Role[] = ['admin', 'marketer'];

/** Who composes, sends and reads broadcasts. */
export const mayBroadcast = (member: Pick<Member, 'role'>) => marketingRoles.includes(member.role);
/** Who sees and runs automation. */
export const mayAutomate = (member: Pick<Member, 'role'>) => marketingRoles.includes(member.role);
/** Who runs this Pagewire (OPERATOR_FACEBOOK_USER_IDS), or, in the sandbox, every admin. */
export interface Operators {
  facebookUserIds: string[];
  everyAdmin: boolean;
}

export const operatorsFrom = (config: Pick<Config, 'OPERATOR_FACEBOOK_USER_IDS' | 'SANDBOX'>): Operators => ({
  facebookUserIds: config.OPERATOR_FACEBOOK_USER_IDS,
  everyAdmin: config.SANDBOX,
});

/**
 * Installation-wide tools (the jobs dashboard) show and change every workspace's data, so being an admin of one is
 * not enough: the admin must be one of the operators.
 */
export async function isOperator(member: Member, operators: Operators): Promise<boolean> {
  if (member.role !== 'admin') return false;
  if (operators.everyAdmin) return true;
  const user = await UserModel.findById(member.userId, { facebookUserId: 1 }).lean();
  return user !== null && operators.facebookUserIds.includes(user.facebookUserId);
}

export function requireOperator(operators: Operators): RequestHandler {
  return async (req, _res, next) => {
    if (!(await isOperator(memberOf(req), operators)))
      throw new Forbidden('Only an admin who runs this Pagewire may do this.');
    next();
  };
}

/**
 * Mongo filter for the Pages a member may see. Admins see every Page of the workspace; agents see Pages shared with
 * the workspace, with one of their teams, or privately with them.
 */
export function visiblePagesFilter(workspaceId: string, member: Member): Record<string, unknown> {
  if (member.workspaceId !== workspaceId) throw new Forbidden('Not a member of this workspace.');
  return { workspace: new Types.ObjectId(workspaceId), connected: true, ...sharedWithFilter(member) };
}

/**
 * The sharing rule of Pages and of every connection shared like them (X accounts, X Ads): admins see all of the
 * workspace's; others what is shared with the workspace, with one of their teams, or privately with them.
 */
export function sharedWithFilter(member: Member): Record<string, unknown> {
  return member.role === 'admin' ? {} : { $or: sharedWith(member) };
}

/** The `sharing` conditions any one of which lets a member see a connection, admins aside. */
export function sharedWith(member: Pick<Member, 'userId' | 'teamIds'>): Record<string, unknown>[] {
  return [
    { 'sharing.scope': 'workspace' },
    { 'sharing.scope': 'team', 'sharing.teamId': { $in: member.teamIds } },
    { 'sharing.scope': 'private', 'sharing.ownerId': new Types.ObjectId(member.userId) },
  ];
}

/** The ids of the connected Pages a member may see; every feature filters its workspace data by these. */
export async function visiblePageIds(workspaceId: string, member: Member): Promise<string[]> {
  const pages = await PageModel.find(visiblePagesFilter(workspaceId, member), { _id: 1 }).lean();
  return pages.map((page) => page._id.toString());
}

/** The connected Pages of the member's workspace they may not see: what a list spanning several Pages leaves out. */
export async function hiddenPageIds(member: Member): Promise<string[]> {
  if (member.role === 'admin') return [];
  const workspace = new Types.ObjectId(member.workspaceId);
  const [connected, visible] = await Promise.all([
    PageModel.find({ workspace, connected: true }, { _id: 1 }).lean(),
    visiblePageIds(member.workspaceId, member),
  ]);
  const seen = new Set(visible);
  return connected.map((page) => page._id.toString()).filter((id) => !seen.has(id));
}

export async function canSeePage(member: Member, pageId: string): Promise<boolean> {
  if (!isValidObjectId(pageId)) return false;
  const filter = { ...visiblePagesFilter(member.workspaceId, member), _id: new Types.ObjectId(pageId) };
  return (await PageModel.exists(filter)) !== null;
}

/** 404 (not 403) for a Page the member may not see, so ids from other workspaces reveal nothing. */
export function requirePageAccess(paramName: string): RequestHandler {
  return async (req, _res, next) => {
    const pageId = req.params[paramName];
    if (typeof pageId !== 'string' || !(await canSeePage(memberOf(req), pageId))) {
      throw new NotFound('No such Page.');
    }
    next();
  };
}
