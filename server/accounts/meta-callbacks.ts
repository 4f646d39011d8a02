import { randomBytes } from 'node:crypto';
import type { Db, ObjectId } from 'mongodb';
import { DataDeletionRequestModel } from '../../models/data-deletion-request';
import { MembershipModel } from '../../models/membership';
import { PageModel } from '../../models/page';
import { UserModel } from '../../models/user';
import type { PageHealth } from '../pages/page-health';
import type { Clock } from '../platform/clock';
import { NotFound } from '../platform/errors';
import type { Realtime } from '../realtime/realtime';
import type { AuditTrail } from './audit';
import { endSessionsOf } from './session';

export interface MetaCallbacksDeps {
  db: () => Db;
  clock: Clock;
  audit: AuditTrail;
  health: Pick<PageHealth, 'markNeedsReauth'>;
  realtime: Pick<Realtime, 'disconnectSession'>;
  publicUrl: string;
}

export interface MetaCallbacks {
  /** The person removed the app: their Page tokens and their own are dropped, their sessions end. */
  deauthorize(facebookUserId: string): Promise<void>;
  /** Deletes what Pagewire holds about the person and answers the status URL and code Meta shows them. */
  deleteData(facebookUserId: string): Promise<{ url: string; confirmation_code: string }>;
  deletionStatus(
    confirmationCode: string,
  ): Promise<{ confirmationCode: string; status: string; completedAt?: Date }>;
}

const metaActor = { kind: 'meta' as const, id: 'facebook' };

/** Meta's deauthorize and data deletion callbacks (server/accounts/meta-callback-routes.ts). */
export function createMetaCallbacks(deps: MetaCallbacksDeps): MetaCallbacks {
  async function cutOff(user: { _id: ObjectId }, action: string) {
    const userId = String(user._id);
    const pages = await PageModel.find({ connectedBy: user._id, connected: true }, { workspace: 1 }).lean();
    for (const page of pages) {
      await PageModel.updateOne({ _id: page._id }, { $unset: { accessToken: '' } });
      await deps.health.markNeedsReauth(
        String(page._id),
        'The person who connected this Page removed Pagewire from their Facebook account: reconnect it.',
      );
    }
    await UserModel.updateOne({ _id: user._id }, { $unset: { userToken: '', userTokenExpiresAt: '' } });
    const sessionIds = await endSessionsOf(deps.db(), userId);
    for (const sessionId of sessionIds) deps.realtime.disconnectSession(sessionId);
    const memberships = await MembershipModel.find({ user: user._id }, { workspace: 1 }).lean();
    for (const membership of memberships) {
      await deps.audit.record({
        workspaceId: String(membership.workspace),
        actor: metaActor,
        action,
        object: { kind: 'user', id: userId },
        basis: 'a signed_request from Meta',
        details: {
          pagesNeedingReconnection: pages.filter(
            (page) => String(page.workspace) === String(membership.workspace),
          ).length,
          sessionsEnded: sessionIds.length,
        },
      });
    }
    return memberships;
  }

  return {
    async deauthorize(facebookUserId) {
      const user = await UserModel.findOne({ facebookUserId }, { _id: 1 }).lean();
      if (user) await cutOff(user, 'user.deauthorized');
    },

    async deleteData(facebookUserId) {
      const confirmationCode = randomBytes(12).toString('base64url');
      await DataDeletionRequestModel.create({
        confirmationCode,
        status: 'received',
        requestedAt: deps.clock.now(),
      });
      const user = await UserModel.findOne({ facebookUserId }, { _id: 1 }).lean();
      if (user) {
        const memberships = await cutOff(user, 'user.data-deleted');
        await MembershipModel.deleteMany({ _id: { $in: memberships.map((membership) => membership._id) } });
        await UserModel.deleteOne({ _id: user._id });
      }
      await DataDeletionRequestModel.updateOne(
        { confirmationCode },
        { $set: { status: 'completed', completedAt: deps.clock.now() } },
      );
      return {
        url: `${deps.publicUrl}/data-deletion/${confirmationCode}`,
        confirmation_code: confirmationCode,
      };
    },

    async deletionStatus(confirmationCode) {
      const found = await DataDeletionRequestModel.findOne({ confirmationCode }).lean();
      if (!found) throw new NotFound('No data deletion request has this confirmation code.');
      return {
        confirmationCode,
        status: found.status,
        ...(found.completedAt ? { completedAt: found.completedAt } : {}),
      };
    },
  };
}
