import type { Agenda } from 'agenda';
import { DateTime } from 'luxon';
import { Types } from 'mongoose';
import { z } from 'zod';
import { BroadcastModel, broadcastPurposes, type BroadcastRecord } from '../../models/broadcast';
import { recipientStatuses } from '../../models/broadcast-recipient';
import { optInSources, SubscriberModel } from '../../models/subscriber';
import { hiddenPageIds, visiblePageIds, type Member } from '../accounts/authorization';
import { messageContentSchema } from '../messaging/message-content';
import type { Clock } from '../platform/clock';
import { BadRequest, NotFound } from '../platform/errors';
import { objectIdString } from '../platform/ids';
import { estimatePage, type PageEstimate } from './audience';
import { startJobName } from './send-context';
import type { StartData } from './start-job';
import { failuresOf, recipientsOf, sparklinesOf, timelineOf, type RecipientQuery } from './results';
import { totalsOf, totalsOfEach } from './stats';
import type { BroadcastSummary } from './summary';
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

export const listQuerySchema = z.strictObject({
  /** The last broadcast of the previous page; the list is newest first. */
  cursor: objectIdString.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const recipientQuerySchema = z.strictObject({
  status: z.enum(recipientStatuses).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  cursor: objectIdString.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export interface BroadcastServiceDeps {
  clock: Clock;
  summary: BroadcastSummary;
  agenda(): Agenda;
  /** The Pages of `pageIds` connected to this member's workspace that they may see, and whether each may send now. */
  pagesOf(member: Member, pageIds: string[]): Promise<{ id: string; maySend: boolean }[]>;
}

export type BroadcastService = ReturnType<typeof createBroadcastService>;

/**
 * What a marketer does with a broadcast. Every function takes the member, so no query forgets the workspace, and a
 * broadcast on a Page they may not see is not theirs to see either (404, as another workspace's).
 */
export function createBroadcastService({ clock, agenda, pagesOf, summary }: BroadcastServiceDeps) {
  async function checkedPages(member: Member, pageIds: string[]) {
    const pages = await pagesOf(member, pageIds);
    if (pages.length !== new Set(pageIds).size)
      throw new BadRequest('A Page of this broadcast is not connected.');
    return pages;
  }

  /** Removes a broadcast's pending scheduled start from Agenda (a start already queued with `now` is harmless). */
  async function cancelScheduledStart(broadcastId: string) {
    await agenda().cancel({ name: startJobName, data: { broadcastId } });
  }

  /** The member's broadcasts: their workspace's, less those on a Page hidden from them. */
  async function scopeOf(member: Member) {
    const hidden = await hiddenPageIds(member);
    return {
      workspace: new Types.ObjectId(member.workspaceId),
      ...(hidden.length > 0 ? { pages: { $nin: hidden.map((id) => new Types.ObjectId(id)) } } : {}),
    };
  }

  async function find(member: Member, broadcastId: string): Promise<BroadcastRecord> {
    const broadcast = Types.ObjectId.isValid(broadcastId)
      ? await BroadcastModel.findOne({ _id: broadcastId, ...(await scopeOf(member)) }).lean()
      : null;
    if (!broadcast) throw new NotFound('No such broadcast.');
    return broadcast;
  }

  /** A move along the state table, for a broadcast the member may see. */
  async function move(member: Member, broadcastId: string, ...rest: MoveArguments) {
    await find(member, broadcastId);
    return moveBroadcast(member.workspaceId, broadcastId, ...rest);
  }

  async function estimate(member: Member, draft: Pick<Draft, 'pages' | 'audience' | 'purpose'>) {
    const pages = await checkedPages(member, draft.pages);
    const now = clock.now();
    const byPage: PageEstimate[] = [];
    for (const page of pages) {
      byPage.push(
        await estimatePage(member.workspaceId, page.id, page.maySend, draft.audience, draft.purpose, now),
      );
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
    async estimateOf(member: Member, broadcastId: string) {
      const broadcast = await find(member, broadcastId);
      return estimate(member, {
        pages: broadcast.pages.map(String),
        audience: audienceSchema.parse(broadcast.audience),
        purpose: broadcast.purpose,
      });
    },

    async create(member: Member, draft: Draft) {
      await checkedPages(member, draft.pages);
      const created = await BroadcastModel.create({
        ...draft,
        workspace: member.workspaceId,
        schedule: { kind: 'now' },
        state: 'draft',
        createdBy: member.userId,
      });
      return created.toObject();
    },

    /** Edits a draft, or takes a scheduled broadcast back to draft: its start at the old time is called off. */
    async update(member: Member, broadcastId: string, draft: Draft) {
      await checkedPages(member, draft.pages);
      const moved = await move(member, broadcastId, 'draft', {
        ...draft,
        pages: draft.pages.map((id) => new Types.ObjectId(id)),
        schedule: { kind: 'now' },
      } as Partial<BroadcastRecord>);
      await cancelScheduledStart(broadcastId);
      return moved;
    },

    async sendNow(member: Member, broadcastId: string) {
      const moved = await move(member, broadcastId, 'sending', { startedAt: clock.now() });
      await cancelScheduledStart(broadcastId);
      await agenda().now(startJobName, { broadcastId });
      return moved;
    },

    async schedule(member: Member, broadcastId: string, when: z.infer<typeof scheduleSchema>) {
      const local = DateTime.fromISO(when.localTime, { zone: when.timeZone });
      if (!local.isValid)
        throw new BadRequest(`Not a time in ${when.timeZone}: ${local.invalidExplanation ?? ''}`);
      const at = local.toJSDate();
      const moved = await move(member, broadcastId, 'scheduled', {
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

    pause: (member: Member, broadcastId: string) =>
      move(member, broadcastId, 'paused', { stateReason: 'Paused from the dashboard.' }),

    async resume(member: Member, broadcastId: string) {
      // Why it was paused no longer holds once it sends again.
      const moved = await move(member, broadcastId, 'sending', {}, ['stateReason']);
      await agenda().now(startJobName, { broadcastId });
      return moved;
    },

    async cancel(member: Member, broadcastId: string) {
      const moved = await move(member, broadcastId, 'cancelled', { finishedAt: clock.now() });
      await cancelScheduledStart(broadcastId);
      summary.afterEnd(moved, { kind: 'user', id: member.userId });
      return moved;
    },

    async get(member: Member, broadcastId: string) {
      const broadcast = await find(member, broadcastId);
      const { all, byPage } = await totalsOf(broadcastId);
      return { ...broadcast, totals: all, totalsByPage: byPage };
    },

    /** Newest first, each with its totals and a sparkline of its sends. */
    async list(member: Member, query: z.infer<typeof listQuerySchema>) {
      const found = await BroadcastModel.find({
        ...(await scopeOf(member)),
        ...(query.cursor ? { _id: { $lt: new Types.ObjectId(query.cursor) } } : {}),
      })
        .select({ content: 0 })
        .sort({ _id: -1 })
        .limit(query.limit + 1)
        .lean();
      const shown = found.slice(0, query.limit);
      const ids = shown.map((broadcast) => broadcast._id);
      const [totals, sparklines] = await Promise.all([totalsOfEach(ids), sparklinesOf(shown)]);
      const last = shown.at(-1);
      return {
        data: shown.map((broadcast) => ({
          ...broadcast,
          totals: totals.get(broadcast._id.toString()),
          sparkline: sparklines.get(broadcast._id.toString()) ?? [],
        })),
        nextCursor: found.length > query.limit && last ? last._id.toString() : null,
      };
    },

    /** Outcomes over time and what went wrong, grouped by reason and Meta's code. */
    async results(member: Member, broadcastId: string) {
      const broadcast = await find(member, broadcastId);
      const [timeline, failures] = await Promise.all([timelineOf(broadcast._id), failuresOf(broadcast._id)]);
      return { timeline, failures };
    },

    async recipients(member: Member, broadcastId: string, query: RecipientQuery) {
      return recipientsOf(await find(member, broadcastId), query);
    },

    /**
     * A broadcast automation starts on one Page of a workspace (autoposting). Always promotional, so the policy lets
     * it reach only people inside their 24-hour window, and it sends at once through the same jobs as any other.
     */
    async startAutomated(
      workspaceId: string,
      pageId: string,
      draft: { name: string; content: z.infer<typeof messageContentSchema>; createdBy: string },
    ): Promise<string> {
      const created = await BroadcastModel.create({
        workspace: workspaceId,
        name: draft.name,
        pages: [pageId],
        content: draft.content,
        audience: {},
        purpose: 'promotional',
        schedule: { kind: 'now' },
        state: 'sending',
        startedAt: clock.now(),
        createdBy: draft.createdBy,
      });
      const broadcastId = created._id.toString();
      await agenda().now(startJobName, { broadcastId });
      return broadcastId;
    },

    /** What an audience may select on in the member's Pages: the tags in use and every opt-in source. */
    async audienceOptions(member: Member) {
      const pages = (await visiblePageIds(member.workspaceId, member)).map((id) => new Types.ObjectId(id));
      const tags = await SubscriberModel.distinct('tags', {
        workspace: new Types.ObjectId(member.workspaceId),
        page: { $in: pages },
      });
      return { tags: (tags as string[]).sort(), optInSources };
    },
  };
}

type MoveArguments = Parameters<typeof moveBroadcast> extends [string, string, ...infer Rest] ? Rest : never;
