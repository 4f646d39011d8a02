import { MembershipModel, type Role } from '../../models/membership';
import { PageModel } from '../../models/page';
import { UserModel } from '../../models/user';
import { WorkspaceModel } from '../../models/workspace';
import { Conflict, NotFound } from '../platform/errors';
import type { AuditTrail } from './audit';
import type { PermissionFeatures } from './permissions';
import {
  findMember,
  isOperator,
  mayAutomate,
  mayBroadcast,
  visiblePagesFilter,
  type Member,
  type Operators,
} from './authorization';

export interface MemberChange {
  role?: Role | undefined;
  teamIds?: string[] | undefined;
}

/** Who is in a workspace and what they may do there. */
export function createMemberService(deps: {
  audit: AuditTrail;
  onAccessChanged(userId: string): Promise<void>;
  operators: Operators;
  /** The flagged features this deployment runs (server/config.ts). */
  features: PermissionFeatures;
  /** Ends a removed member's sessions in the workspace; answers how many there were. */
  endSessions(userId: string, workspaceId: string): Promise<number>;
}) {
  async function memberOfWorkspace(actor: Member, userId: string) {
    const membership = await MembershipModel.findOne({ workspace: actor.workspaceId, user: userId }).lean();
    if (!membership) throw new NotFound('No such member.');
    return membership;
  }

  /** Refuses to take the workspace's last admin away, by a role change or a removal. */
  async function keepAnAdmin(actor: Member, current: { role: Role }, losesAdmin: boolean) {
    if (current.role !== 'admin' || !losesAdmin) return;
    const admins = await MembershipModel.countDocuments({ workspace: actor.workspaceId, role: 'admin' });
    if (admins <= 1) throw new Conflict('A workspace keeps at least one admin.');
  }

  return {
    async describe(member: Member) {
      const [user, workspace, operator] = await Promise.all([
        UserModel.findById(member.userId).lean(),
        WorkspaceModel.findById(member.workspaceId).lean(),
        isOperator(member, deps.operators),
      ]);
      if (!user || !workspace) throw new NotFound('No such user or workspace.');
      return {
        user: { id: member.userId, name: user.name, email: user.email ?? null },
        workspace: { id: member.workspaceId, name: workspace.name },
        role: member.role,
        teamIds: member.teamIds,
        /** What the dashboard offers this member; the routes check the same rules on every request. */
        can: {
          automate: mayAutomate(member),
          broadcast: mayBroadcast(member),
          sponsor: deps.features.FEATURE_SPONSORED_MESSAGES && mayBroadcast(member),
          invitePhones: deps.features.FEATURE_PHONE_INVITES && mayBroadcast(member),
        },
        /** May open the jobs dashboard (/admin/jobs). */
        operator,
      };
    },

    async list(workspaceId: string) {
      const memberships = await MembershipModel.find({ workspace: workspaceId })
        .sort({ createdAt: 1 })
        .lean();
      const users = await UserModel.find({ _id: { $in: memberships.map((m) => m.user) } }).lean();
      const byId = new Map(users.map((user) => [user._id.toString(), user]));
      return memberships.map((membership) => ({
        userId: membership.user.toString(),
        name: byId.get(membership.user.toString())?.name ?? null,
        role: membership.role,
        teamIds: membership.teamIds,
      }));
    },

    /** Teams exist by being named on members: each team some member of the workspace is in, with how many are. */
    async teams(workspaceId: string) {
      const memberships = await MembershipModel.find({ workspace: workspaceId }, { teamIds: 1 }).lean();
      const sizes = new Map<string, number>();
      for (const membership of memberships)
        // Absent on a membership made by joining on FerretDB, which drops empty values from $setOnInsert.
        for (const teamId of membership.teamIds ?? []) sizes.set(teamId, (sizes.get(teamId) ?? 0) + 1);
      return [...sizes]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([id, memberCount]) => ({ id, memberCount }));
    },

    async change(actor: Member, userId: string, change: MemberChange) {
      const current = await memberOfWorkspace(actor, userId);
      await keepAnAdmin(actor, current, change.role !== undefined && change.role !== 'admin');
      const set = {
        ...(change.role ? { role: change.role } : {}),
        ...(change.teamIds ? { teamIds: [...new Set(change.teamIds)] } : {}),
      };
      await MembershipModel.updateOne({ _id: current._id }, { $set: set });
      await deps.audit.recordByMember(actor, {
        action: 'member.changed',
        object: { kind: 'user', id: userId },
        details: set,
      });
      await deps.onAccessChanged(userId);
    },

    /** Takes a member out of the workspace: their sessions there end and their sockets close at once. */
    async remove(actor: Member, userId: string) {
      const current = await memberOfWorkspace(actor, userId);
      await keepAnAdmin(actor, current, true);
      await MembershipModel.deleteOne({ _id: current._id });
      const sessionsEnded = await deps.endSessions(userId, actor.workspaceId);
      await deps.audit.recordByMember(actor, {
        action: 'member.removed',
        object: { kind: 'user', id: userId },
        details: { role: current.role, sessionsEnded },
      });
      // Closes their sockets in this workspace: their membership is gone.
      await deps.onAccessChanged(userId);
    },

    /** The Pages a member sees, by the rule every route filters by. */
    async pagesSeenBy(actor: Member, userId: string) {
      const member = await findMember(userId, actor.workspaceId);
      if (!member) throw new NotFound('No such member.');
      const pages = await PageModel.find(visiblePagesFilter(actor.workspaceId, member), {
        name: 1,
        sharing: 1,
      })
        .sort({ name: 1 })
        .lean();
      return pages.map((page) => ({
        id: page._id.toString(),
        name: page.name,
        sharing: { scope: page.sharing?.scope ?? 'workspace', teamId: page.sharing?.teamId ?? null },
      }));
    },

    /** The workspaces a user belongs to, for switching between them. */
    async workspacesOf(member: Member) {
      const memberships = await MembershipModel.find({ user: member.userId }).sort({ createdAt: 1 }).lean();
      const workspaces = await WorkspaceModel.find({
        _id: { $in: memberships.map((m) => m.workspace) },
      }).lean();
      const names = new Map(workspaces.map((workspace) => [workspace._id.toString(), workspace.name]));
      return memberships.map((membership) => {
        const id = membership.workspace.toString();
        return { id, name: names.get(id) ?? id, role: membership.role, current: id === member.workspaceId };
      });
    },
  };
}

export type MemberService = ReturnType<typeof createMemberService>;
