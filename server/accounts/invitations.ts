import { createHash, randomBytes } from 'node:crypto';
import { InvitationModel } from '../../models/invitation';
import type { Role } from '../../models/membership';
import type { Clock } from '../platform/clock';
import { Forbidden, NotFound } from '../platform/errors';
import type { AuditTrail } from './audit';
import type { Member } from './authorization';

export interface CreatedInvitation {
  id: string;
  role: Role;
  url: string;
  expiresAt: Date;
}

export interface InvitationService {
  create(workspaceId: string, invitedBy: string, role: Role): Promise<CreatedInvitation>;
  /** Claims the invitation for `userId` exactly once; a used, expired or unknown link is refused. */
  accept(token: string, userId: string): Promise<{ workspaceId: string; role: Role }>;
  listPending(workspaceId: string): Promise<{ id: string; role: Role; expiresAt: Date; createdAt: Date }[]>;
  /** Deletes a pending invitation, so its link invites nobody. */
  revoke(actor: Member, invitationId: string): Promise<void>;
}

export interface InvitationDeps {
  clock: Clock;
  publicUrl: string;
  ttlHours: number;
  audit: AuditTrail;
}

/** The link carries the only copy of the token; the database keeps its hash, so a leaked backup invites nobody. */
function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function createInvitationService({
  clock,
  publicUrl,
  ttlHours,
  audit,
}: InvitationDeps): InvitationService {
  return {
    async create(workspaceId, invitedBy, role) {
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(clock.now().getTime() + ttlHours * 60 * 60 * 1000);
      const invitation = await InvitationModel.create({
        workspace: workspaceId,
        tokenHash: hashOf(token),
        role,
        invitedBy,
        expiresAt,
      });
      await audit.record({
        workspaceId,
        actor: { kind: 'user', id: invitedBy },
        action: 'invitation.created',
        object: { kind: 'invitation', id: invitation.id as string },
        basis: 'role admin',
        details: { role },
      });
      return { id: invitation.id as string, role, url: `${publicUrl}/auth/invitations/${token}`, expiresAt };
    },

    async accept(token, userId) {
      const now = clock.now();
      const invitation = await InvitationModel.findOneAndUpdate(
        { tokenHash: hashOf(token), acceptedBy: null, expiresAt: { $gt: now } },
        { $set: { acceptedBy: userId, acceptedAt: now } },
        { returnDocument: 'after' },
      ).lean();
      if (!invitation) throw new Forbidden('This invitation link has expired or has already been used.');
      return { workspaceId: invitation.workspace.toString(), role: invitation.role };
    },

    async listPending(workspaceId) {
      const pending = await InvitationModel.find({
        workspace: workspaceId,
        acceptedBy: null,
        expiresAt: { $gt: clock.now() },
      })
        .sort({ expiresAt: -1 })
        .lean();
      return pending.map((invitation) => ({
        id: invitation._id.toString(),
        role: invitation.role,
        expiresAt: invitation.expiresAt,
        createdAt: invitation.createdAt,
      }));
    },

    async revoke(actor, invitationId) {
      const revoked = await InvitationModel.findOneAndDelete({
        _id: invitationId,
        workspace: actor.workspaceId,
        acceptedBy: null,
      }).lean();
      if (!revoked) throw new NotFound('No such pending invitation.');
      await audit.recordByMember(actor, {
        action: 'invitation.revoked',
        object: { kind: 'invitation', id: invitationId },
        details: { role: revoked.role },
      });
    },
  };
}
