import type { Types } from 'mongoose';
import { CaptureModel } from '../../models/capture';
import { CaptureOutcomeModel } from '../../models/capture-outcome';
import { CaptureReplyModel } from '../../models/capture-reply';
import type { Member } from '../../server/accounts/authorization';
import { NotFound } from '../../server/platform/errors';
import { asObjectId, scopeFor, visiblePage } from '../page-scope';
import type { CaptureDeps } from './capture-deps';
import type { CaptureChanges, NewCaptureInput } from './capture-input';
import { listOutcomes } from './capture-outcomes';

export interface CaptureCounters {
  commentsSeen: number;
  repliedPrivately: number;
  repliedPublicly: number;
  skipped: Record<string, number>;
}

/** Counted from one row per comment: a count cannot drift the way a counter can when a handler runs again. */
async function countersOf(captureId: Types.ObjectId): Promise<CaptureCounters> {
  const [commentsSeen, repliedPrivately, repliedPublicly, skips] = await Promise.all([
    CaptureOutcomeModel.countDocuments({ capture: captureId }),
    CaptureReplyModel.countDocuments({ capture: captureId, status: 'sent' }),
    CaptureReplyModel.countDocuments({ capture: captureId, 'publicReply.status': 'sent' }),
    CaptureOutcomeModel.find({ capture: captureId, result: 'skipped' }, { reason: 1 }).lean(),
  ]);
  const skipped: Record<string, number> = {};
  for (const { reason } of skips) skipped[reason ?? 'unknown'] = (skipped[reason ?? 'unknown'] ?? 0) + 1;
  return { commentsSeen, repliedPrivately, repliedPublicly, skipped };
}

const RECENT_POSTS = 25;

export function createCaptureService(deps: Pick<CaptureDeps, 'graph' | 'pageAccess' | 'audit'>) {
  async function find(member: Member, id: string) {
    const capture = await CaptureModel.findOne({
      ...(await scopeFor(member)),
      _id: asObjectId(id, 'capture'),
    });
    if (!capture) throw new NotFound('No such capture.');
    return capture;
  }
  const view = async (capture: Awaited<ReturnType<typeof find>>) => ({
    ...capture.toObject(),
    counters: await countersOf(capture._id),
  });

  return {
    async list(member: Member) {
      const captures = await CaptureModel.find(await scopeFor(member)).sort({ createdAt: -1 });
      return Promise.all(captures.map(view));
    },

    get: async (member: Member, id: string) => view(await find(member, id)),

    /** The outcome log of a capture the member sees, newest first. */
    async outcomes(member: Member, id: string, page: { cursor?: string | undefined; limit: number }) {
      const capture = await find(member, id);
      const cursor = page.cursor === undefined ? undefined : asObjectId(page.cursor, 'outcome');
      return listOutcomes(capture._id, { cursor, limit: page.limit });
    },

    /** The Page's latest posts, for a capture aimed at one of them. */
    async recentPosts(member: Member, pageId: string) {
      await visiblePage(member, pageId);
      const credentials = await deps.pageAccess.getSendCredentials(member.workspaceId, pageId);
      return deps.graph.listPublishedPosts(credentials, RECENT_POSTS);
    },

    /** A `new_post` capture publishes its post as the Page first, and answers comments on that post. */
    async create(member: Member, input: NewCaptureInput) {
      const page = await visiblePage(member, input.page);
      const { target, ...rules } = input;
      let postId: string | null = target.kind === 'existing_post' ? target.postId : null;
      if (target.kind === 'new_post') {
        const credentials = await deps.pageAccess.getSendCredentials(member.workspaceId, input.page);
        postId = (await deps.graph.publishPost(credentials, target.post)).id;
      }
      const capture = await CaptureModel.create({
        ...rules,
        workspace: member.workspaceId,
        fbPageId: page.fbPageId,
        target: { kind: target.kind, postId, ...(target.kind === 'new_post' ? { post: target.post } : {}) },
      });
      await deps.audit.recordByMember(member, {
        action: 'capture.created',
        object: { kind: 'capture', id: capture._id.toString() },
        basis: `role ${member.role}`,
        details: { postId, target: target.kind },
      });
      return view(capture);
    },

    async update(member: Member, id: string, changes: CaptureChanges) {
      const capture = await find(member, id);
      capture.set(changes);
      await capture.save();
      await deps.audit.recordByMember(member, {
        action: 'capture.changed',
        object: { kind: 'capture', id: capture._id.toString() },
        basis: `role ${member.role}`,
        details: { changed: Object.keys(changes) },
      });
      return view(capture);
    },

    async remove(member: Member, id: string) {
      const capture = await find(member, id);
      await capture.deleteOne();
    },
  };
}

export type CaptureService = ReturnType<typeof createCaptureService>;
