import type { Agenda } from 'agenda';
import { DateTime } from 'luxon';
import { Types } from 'mongoose';
import { z } from 'zod';
import { BroadcastModel, broadcastPurposes, type BroadcastRecord } from '../../models/broadcast';
import { messageContentSchema } from '../messaging/message-content';
import type { Clock } from '../platform/clock';
import { BadRequest, NotFound } from '../platform/errors';
import { objectIdString } from '../platform/ids';
import { estimatePage, type PageEstimate } from './audience';
import { startJobName } from './send-context';
import type { StartData } from './start-job';
import { totalsOf } from './stats';
import { moveBroadcast } from './transitions';

export const audienceSchema = z.strictObject({
  tags: z.array(z.string().min(1).max(100)).max(50).optional(),
  customFields: z.record(z.string().min(1).max(100), z.string().max(1000)).optional(),
  optInSources: z.array(z.string()).optional(),
  lastInteractionAfter: z.coerce.date().optional(),
  lastInteractionBefore: z.coerce.date().optional(),
});
export const draftSchema = z.strictObject({
  name: z.string().min(1).max(200),
  pages: z.array(objectIdString).min(1).max(50),
  content: messageContentSchema,
  audience: audienceSchema.default({}),
  purpose: z.enum(broadcastPurposes),
});
export type Draft = z.infer<typeof draftSchema>;
export const scheduleSchema = z.strictObject({
  /** Wall-clock time in `timeZone`, e.g. `2026-03-01T09:00`. */
  localTime: z.string().min(16),
  timeZone: z.string().min(1),
});

export interface BroadcastServiceDeps {
  clock: Clock;
  agenda(): Agenda;
  /** The Pages of `pageIds` this workspace has connected, and whether each may send automated messages now. */
  pagesOf(workspaceId: string, pageIds: string[]): Promise<{ id: string; maySend: boolean }[]>;
}

export type BroadcastService = ReturnType<typeof createBroadcastService>;

/** What a marketer does with a broadcast; every function takes the workspace, so no query forgets it. */
export function createBroadcastService({ clock, agenda, pagesOf }: BroadcastServiceDeps) {
  async function checkedPages(workspaceId: string, pageIds: string[]) {
    const pages = await pagesOf(workspaceId, pageIds);
    if (pages.length !== new Set(pageIds).size)
      throw new BadRequest('A Page of this broadcast is not connected.');
    return pages;
  }

  /** Removes a broadcast's pending scheduled start from Agenda (a start already queued with `now` is harmless). */
  async function cancelScheduledStart(broadcastId: string) {
    await agenda().cancel({ name: startJobName, data: { broadcastId } });
  }

  async function find(workspaceId: string, broadcastId: string): Promise<BroadcastRecord> {
    const broadcast = Types.ObjectId.isValid(broadcastId)
      ? await BroadcastModel.findOne({ _id: broadcastId, workspace: workspaceId }).lean()
      : null;
    if (!broadcast) throw new NotFound('No such broadcast.');
    return broadcast;
  }

  async function estimate(workspaceId: string, draft: Pick<Draft, 'pages' | 'audience' | 'purpose'>) {
    const pages = await checkedPages(workspaceId, draft.pages);
    const now = clock.now();
    const byPage: PageEstimate[] = [];
    for (const page of pages) {
      byPage.push(await estimatePage(workspaceId, page.id, page.maySend, draft.audience, draft.purpose, now));
    }
    const sum = (pick: (e: PageEstimate) => number) => byPage.reduce((total, e) => total + pick(e), 0);
    return {
      eligible: sum((e) => e.eligible),
      excluded: {
        unsubscribed: sum((e) => e.excluded.unsubscribed),
        outsideWindow: sum((e) => e.excluded.outsideWindow),
        blocked: sum((e) => e.excluded.blocked),
        pageNeedsReauth: sum((e) => e.excluded.pageNeedsReauth),
        filteredOut: sum((e) => e.excluded.filteredOut),
      },
      byPage,
    };
  }

  return {
    estimate,
    async estimateOf(workspaceId: string, broadcastId: string) {
      const broadcast = await find(workspaceId, broadcastId);
      return estimate(workspaceId, {
        pages: broadcast.pages.map(String),
        audience: audienceSchema.parse(broadcast.audience),
        purpose: broadcast.purpose,
      });
    },

    async create(workspaceId: string, draft: Draft, userId?: string) {
      await checkedPages(workspaceId, draft.pages);
      const created = await BroadcastModel.create({
        ...draft,
        workspace: workspaceId,
        schedule: { kind: 'now' },
        state: 'draft',
        ...(userId ? { createdBy: userId } : {}),
      });
      return created.toObject();
    },

    /** Edits a draft, or takes a scheduled broadcast back to draft: its start at the old time is called off. */
    async update(workspaceId: string, broadcastId: string, draft: Draft) {
      await checkedPages(workspaceId, draft.pages);
      const moved = await moveBroadcast(workspaceId, broadcastId, 'draft', {
        ...draft,
        pages: draft.pages.map((id) => new Types.ObjectId(id)),
        schedule: { kind: 'now' },
      } as Partial<BroadcastRecord>);
      await cancelScheduledStart(broadcastId);
      return moved;
    },

    async sendNow(workspaceId: string, broadcastId: string) {
      const moved = await moveBroadcast(workspaceId, broadcastId, 'sending', { startedAt: clock.now() });
      await cancelScheduledStart(broadcastId);
      await agenda().now(startJobName, { broadcastId });
      return moved;
    },

    async schedule(workspaceId: string, broadcastId: string, when: z.infer<typeof scheduleSchema>) {
      const local = DateTime.fromISO(when.localTime, { zone: when.timeZone });
      if (!local.isValid)
        throw new BadRequest(`Not a time in ${when.timeZone}: ${local.invalidExplanation ?? ''}`);
      const at = local.toJSDate();
      const moved = await moveBroadcast(workspaceId, broadcastId, 'scheduled', {
        schedule: { kind: 'at', localTime: when.localTime, timeZone: when.timeZone, at },
      });
      // A re-schedule replaces the earlier start; the `scheduledFor` check covers a start already running.
      await cancelScheduledStart(broadcastId);
      // Agenda keeps real time; the product's clock may run ahead in tests, so only the distance carries over.
      const delayMs = Math.max(0, at.getTime() - clock.now().getTime());
      const data: StartData = { broadcastId, scheduledFor: at.toISOString() };
      await agenda().schedule(new Date(Date.now() + delayMs), startJobName, data);
      return moved;
    },

    pause: (workspaceId: string, broadcastId: string) =>
      moveBroadcast(workspaceId, broadcastId, 'paused', { stateReason: 'Paused by a workspace admin.' }),

    async resume(workspaceId: string, broadcastId: string) {
      // Why it was paused no longer holds once it sends again.
      const moved = await moveBroadcast(workspaceId, broadcastId, 'sending', {}, ['stateReason']);
      await agenda().now(startJobName, { broadcastId });
      return moved;
    },

    async cancel(workspaceId: string, broadcastId: string) {
      const moved = await moveBroadcast(workspaceId, broadcastId, 'cancelled', { finishedAt: clock.now() });
      await cancelScheduledStart(broadcastId);
      return moved;
    },

    async get(workspaceId: string, broadcastId: string) {
      const broadcast = await find(workspaceId, broadcastId);
      const { all, byPage } = await totalsOf(broadcastId);
      return { ...broadcast, totals: all, totalsByPage: byPage };
    },

    list: (workspaceId: string) =>
      BroadcastModel.find({ workspace: workspaceId }).sort({ createdAt: -1 }).limit(200).lean(),
  };
}
