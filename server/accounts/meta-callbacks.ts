import { randomBytes } from 'node:crypto';
import type { Db, ObjectId } from 'mongodb';
import { DataDeletionRequestModel, type DataDeletionStatus } from '../../models/data-deletion-request';
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
  /** Queues a request's deletion (the `accounts:delete-user-data` job). */
  queueDeletion(requestId: string): Promise<void>;
}

export interface MetaCallbacks {
  /** The person removed the app: their Page tokens and their own are dropped, their sessions end. */
  deauthorize(facebookUserId: string): Promise<void>;
  /** Records the request, queues its deletion and answers at once with the status URL and code Meta shows them. */
  requestDataDeletion(facebookUserId: string): Promise<{ url: string; confirmation_code: string }>;
  /**
   * Deletes what Pagewire holds about the person of a pending request. Each step may run again; the request is
   * completed, and the workspaces told, once, however many runs race.
   */
  deleteUserData(requestId: string): Promise<void>;
  deletionStatus(
    confirmationCode: string,
  ): Promise<{ confirmationCode: string; status: DataDeletionStatus; completedAt?: Date }>;
}

const metaActor = { kind: 'meta' as const, id: 'facebook' };

/** Meta's deauthorize and data deletion callbacks (server/accounts/meta-callback-routes.ts). */
export function createMetaCallbacks(deps: MetaCallbacksDeps): MetaCallbacks {
  /** Drops the person's Page tokens and their own, and ends their sessions. */
  async function cutOff(user: { _id: ObjectId }) {
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
    return { pages, sessionIds };
  }

  const recordMetaAction = (
    workspace: ObjectId,
    action: string,
    userId: string,
    details?: Record<string, unknown>,
  ) =>
    deps.audit.record({
      workspaceId: String(workspace),
      actor: metaActor,
      action,
      object: { kind: 'user', id: userId },
      basis: 'a signed_request from Meta',
      ...(details ? { details } : {}),
    });

  /** Who the request is about and their workspaces, as the first attempt found them. */
  async function noteErased(request: { _id: ObjectId; facebookUserId?: string | null }) {
    const user = await UserModel.findOne({ facebookUserId: request.facebookUserId }, { _id: 1 }).lean();
    const memberships = user ? await MembershipModel.find({ user: user._id }, { workspace: 1 }).lean() : [];
    const erased = {
      ...(user ? { user: user._id } : {}),
      workspaces: memberships.map((membership) => membership.workspace),
    };
    await DataDeletionRequestModel.updateOne(
      { _id: request._id, erased: { $exists: false } },
      { $set: { erased } },
    );
    return erased;
  }

  return {
    async deauthorize(facebookUserId) {
      const user = await UserModel.findOne({ facebookUserId }, { _id: 1 }).lean();
      if (!user) return;
      const { pages, sessionIds } = await cutOff(user);
      const memberships = await MembershipModel.find({ user: user._id }, { workspace: 1 }).lean();
      for (const { workspace } of memberships) {
        await recordMetaAction(workspace, 'user.deauthorized', String(user._id), {
          pagesNeedingReconnection: pages.filter((page) => String(page.workspace) === String(workspace))
            .length,
          sessionsEnded: sessionIds.length,
        });
      }
    },

    async requestDataDeletion(facebookUserId) {
      const confirmationCode = randomBytes(12).toString('base64url');
      const request = await DataDeletionRequestModel.create({
        confirmationCode,
        status: 'pending',
        requestedAt: deps.clock.now(),
        facebookUserId,
      });
      await deps.queueDeletion(String(request._id));
      return {
        url: `${deps.publicUrl}/data-deletion/${confirmationCode}`,
        confirmation_code: confirmationCode,
      };
    },

    async deleteUserData(requestId) {
      const request = await DataDeletionRequestModel.findOne({ _id: requestId, status: 'pending' }).lean();
      if (!request) return;
      const erased = request.erased ?? (await noteErased(request));
      if (erased.user) {
        await cutOff({ _id: erased.user });
        await MembershipModel.deleteMany({ user: erased.user });
        await UserModel.deleteOne({ _id: erased.user });
      }
      const completed = await DataDeletionRequestModel.updateOne(
        { _id: request._id, status: 'pending' },
        {
          $set: { status: 'completed', completedAt: deps.clock.now() },
          $unset: { facebookUserId: '', erased: '', lastError: '' },
        },
      );
      if (completed.modifiedCount === 0 || !erased.user) return;
      for (const workspace of erased.workspaces) {
        await recordMetaAction(workspace, 'user.data-deleted', String(erased.user));
      }
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
