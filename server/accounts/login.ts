import { MembershipModel, type Role } from '../../models/membership';
import { UserModel } from '../../models/user';
import { WorkspaceModel } from '../../models/workspace';
import type { GraphClient } from '../facebook/graph-client';
import type { FacebookLogin } from '../facebook/login-strategy';
import type { Clock } from '../platform/clock';
import type { TokenVault } from '../pages/token-vault';
import type { AuditTrail } from './audit';
import type { InvitationService } from './invitations';

export interface LoggedIn {
  userId: string;
  workspaceId: string;
}

export interface LoginDeps {
  graph: GraphClient;
  vault: TokenVault;
  clock: Clock;
  audit: AuditTrail;
  invitations: InvitationService;
}

export const userTokenBinding = (userId: string) => `user:${userId}`;

/**
 * What happens after Facebook says who logged in: the user is found or created, their token swapped for a
 * long-lived one and sealed, and they land in a workspace — the invitation's, else their first, else a new one
 * they administer.
 */
export function createLoginService({ graph, vault, clock, audit, invitations }: LoginDeps) {
  async function storeUser(login: FacebookLogin): Promise<string> {
    const longLived = await graph.exchangeForLongLivedToken(login.accessToken);
    const now = clock.now();
    // updateOne then findOne: FerretDB's findAndModify cannot apply the projection that hides the token.
    await UserModel.updateOne(
      { facebookUserId: login.facebookUserId },
      { $set: { name: login.name, email: login.email, lastLoginAt: now } },
      { upsert: true },
    );
    const user = await UserModel.findOne({ facebookUserId: login.facebookUserId }, { _id: 1 }).lean();
    if (!user) throw new Error('the user just stored cannot be read back');
    const userId = user._id.toString();
    const expiresAt = longLived.expiresIn ? new Date(now.getTime() + longLived.expiresIn * 1000) : undefined;
    await UserModel.updateOne(
      { _id: userId },
      {
        $set: {
          userToken: vault.encrypt(longLived.accessToken, userTokenBinding(userId)),
          userTokenExpiresAt: expiresAt,
        },
      },
    );
    return userId;
  }

  async function join(userId: string, workspaceId: string, role: Role, basis: string) {
    const result = await MembershipModel.updateOne(
      { workspace: workspaceId, user: userId },
      // An existing member keeps their role: an invitation never demotes an admin.
      { $setOnInsert: { role, teamIds: [] } },
      { upsert: true },
    );
    if (result.upsertedCount === 0) return;
    await audit.record({
      workspaceId,
      actor: { kind: 'user', id: userId },
      action: 'member.joined',
      object: { kind: 'user', id: userId },
      basis,
      details: { role },
    });
  }

  async function createWorkspaceFor(userId: string, name: string): Promise<string> {
    const workspace = await WorkspaceModel.create({ name: `${name}’s workspace`, createdBy: userId });
    const workspaceId = workspace.id as string;
    await join(userId, workspaceId, 'admin', 'first login creates a workspace');
    return workspaceId;
  }

  return {
    async completeLogin(login: FacebookLogin, invitationToken?: string): Promise<LoggedIn> {
      const userId = await storeUser(login);
      if (invitationToken) {
        const { workspaceId, role } = await invitations.accept(invitationToken, userId);
        await join(userId, workspaceId, role, 'accepted an invitation');
        return { userId, workspaceId };
      }
      const first = await MembershipModel.findOne({ user: userId }).sort({ createdAt: 1 }).lean();
      if (first) return { userId, workspaceId: first.workspace.toString() };
      return { userId, workspaceId: await createWorkspaceFor(userId, login.name) };
    },
  };
}

export type LoginService = ReturnType<typeof createLoginService>;
