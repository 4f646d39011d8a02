import { MembershipModel, type Role } from '../../models/membership';
import { UserModel } from '../../models/user';
import { WorkspaceModel } from '../../models/workspace';
import { Conflict, NotFound } from '../platform/errors';
import type { AuditTrail } from './audit';
import { mayAutomate, mayBroadcast, type Member } from './authorization';

export interface MemberChange {
  role?: Role | undefined;
  teamIds?: string[] | undefined;
}

/** Who is in a workspace and what they may do there. */
export function createMemberService(deps: {
  audit: AuditTrail;
  onAccessChanged(userId: string): Promise<void>;
}) {
  return {
    async describe(member: Member) {
      const [user, workspace] = await Promise.all([
        UserModel.findById(member.userId).lean(),
        WorkspaceModel.findById(member.workspaceId).lean(),
      ]);
      if (!user || !workspace) throw new NotFound('No such user or workspace.');
      return {
        user: { id: member.userId, name: user.name, email: user.email ?? null },
        workspace: { id: member.workspaceId, name: workspace.name },
        role: member.role,
        teamIds: member.teamIds,
        /** What the dashboard offers this member; the routes check the same rules on every request. */
        can: { automate: mayAutomate(member), broadcast: mayBroadcast(member) },
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
      const current = await MembershipModel.findOne({ workspace: actor.workspaceId, user: userId }).lean();
      if (!current) throw new NotFound('No such member.');
      if (current.role === 'admin' && change.role !== undefined && change.role !== 'admin') {
        const admins = await MembershipModel.countDocuments({ workspace: actor.workspaceId, role: 'admin' });
        if (admins <= 1) throw new Conflict('A workspace keeps at least one admin.');
      }
      const set = {
        ...(change.role ? { role: change.role } : {}),
        ...(change.teamIds ? { teamIds: change.teamIds } : {}),
      };
      await MembershipModel.updateOne({ _id: current._id }, { $set: set });
      await deps.audit.recordByMember(actor, {
        action: 'member.changed',
        object: { kind: 'user', id: userId },
        details: set,
      });
      await deps.onAccessChanged(userId);
    },
  };
}

export type MemberService = ReturnType<typeof createMemberService>;
