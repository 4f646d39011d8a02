import { Router, type Request } from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import {
  marketingRoles,
  memberOf,
  requireRole,
  requireSession,
  type Member,
} from '../accounts/authorization';
import type { Clock } from '../platform/clock';
import { NotFound } from '../platform/errors';
import { objectIdString } from '../platform/ids';
import type { ApiOperation } from '../platform/openapi/api-operation';
import { activityPerDay } from './activity';
import {
  activityAnswer,
  firstResponseAnswer,
  runningBroadcastsAnswer,
  subscriberChangesAnswer,
  waitingAnswer,
} from './answers';
import { firstResponseTimes } from './first-response-times';
import { isTimeZone, localDays } from './local-days';
import { runningBroadcasts } from './running-broadcasts';
import { subscriberChanges } from './subscriber-changes';
import { waitingConversations } from './waiting-conversations';

/** One Page, or every Page the member may see when absent. */
const pageQuery = { pageId: objectIdString.optional() };
const daysQuery = z.strictObject({
  ...pageQuery,
  days: z.coerce.number().int().min(1).max(90).default(14),
  /** Days begin at midnight in the browser's zone. */
  tz: z
    .string()
    .max(64)
    .refine(isTimeZone, 'expects an IANA time zone, such as Europe/Berlin')
    .default('UTC'),
});
const waitingQuery = z.strictObject({
  ...pageQuery,
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
const broadcastsQuery = z.strictObject(pageQuery);

export interface OverviewDeps {
  visiblePageIds(workspaceId: string, member: Member): Promise<string[]>;
  clock: Clock;
}

/**
 * /api/overview: the home screen's panels, one aggregate each, over the Pages the member may see. Every query is
 * bounded by those Pages and a date range (or the open conversations) on an index's leading fields.
 */
export function createOverviewRouter({ visiblePageIds, clock }: OverviewDeps): Router {
  const router = Router();
  router.use(requireSession);

  async function pagesOf(member: Member, pageId: string | undefined): Promise<Types.ObjectId[]> {
    const visible = await visiblePageIds(member.workspaceId, member);
    if (pageId && !visible.includes(pageId)) throw new NotFound('No such Page.');
    return (pageId ? [pageId] : visible).map((id) => new Types.ObjectId(id));
  }
  async function daysOf(req: Request) {
    const query = daysQuery.parse(req.query);
    const pages = await pagesOf(memberOf(req), query.pageId);
    return { pages, range: localDays(clock.now(), query.tz, query.days) };
  }

  router.get('/activity', async (req, res) => {
    const { pages, range } = await daysOf(req);
    res.json({ days: await activityPerDay(pages, range) });
  });
  router.get('/first-response', async (req, res) => {
    const { pages, range } = await daysOf(req);
    res.json(await firstResponseTimes(pages, range));
  });
  router.get('/subscribers', async (req, res) => {
    const { pages, range } = await daysOf(req);
    res.json(await subscriberChanges(pages, range));
  });
  router.get('/waiting', async (req, res) => {
    const query = waitingQuery.parse(req.query);
    const pages = await pagesOf(memberOf(req), query.pageId);
    res.json({ conversations: await waitingConversations(pages, query.limit) });
  });
  router.get('/broadcasts', requireRole(...marketingRoles), async (req, res) => {
    const { pageId } = broadcastsQuery.parse(req.query);
    const member = memberOf(req);
    const [page] = pageId ? await pagesOf(member, pageId) : [];
    res.json({ broadcasts: await runningBroadcasts(member, page) });
  });
  return router;
}

const tag = 'Overview';
export const overviewOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/overview/activity',
    summary: 'Messages in and out per local day.',
    tag,
    access: 'member',
    query: daysQuery,
    responses: { 200: { description: 'The days.', schema: activityAnswer } },
  },
  {
    method: 'get',
    path: '/api/overview/first-response',
    summary: 'How long people waited for a first human answer, per day.',
    tag,
    access: 'member',
    query: daysQuery,
    responses: { 200: { description: 'The times.', schema: firstResponseAnswer } },
  },
  {
    method: 'get',
    path: '/api/overview/subscribers',
    summary: 'Opt-ins and opt-outs per day.',
    tag,
    access: 'member',
    query: daysQuery,
    responses: { 200: { description: 'The changes.', schema: subscriberChangesAnswer } },
  },
  {
    method: 'get',
    path: '/api/overview/waiting',
    summary: 'Open conversations waiting longest for an answer.',
    tag,
    access: 'member',
    query: waitingQuery,
    responses: { 200: { description: 'The conversations.', schema: waitingAnswer } },
  },
  {
    method: 'get',
    path: '/api/overview/broadcasts',
    summary: 'Broadcasts sending now, with their progress.',
    tag,
    access: 'marketing',
    query: broadcastsQuery,
    responses: { 200: { description: 'The broadcasts.', schema: runningBroadcastsAnswer } },
  },
];
