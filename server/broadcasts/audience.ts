import { Types } from 'mongoose';
import type { AudienceFilter, BroadcastPurpose } from '../../models/broadcast';
import { SubscriberModel } from '../../models/subscriber';
import { STANDARD_WINDOW_MS } from '../policy/messaging-windows';
import type { NonPromotionalTag, SendPurpose } from '../policy/send-policy';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- mongoose filters on dotted paths are untyped
export type SubscriberQuery = Record<string, any>;

export function sendPurposeOf(purpose: BroadcastPurpose): SendPurpose {
  return { kind: 'broadcast', tag: purpose === 'promotional' ? null : (purpose as NonPromotionalTag) };
}

/** The subscribers of one Page the marketer's segment selects, before any policy rule. */
export function segmentQuery(workspaceId: string, pageId: string, filter: AudienceFilter): SubscriberQuery {
  const query: SubscriberQuery = {
    workspace: new Types.ObjectId(workspaceId),
    page: new Types.ObjectId(pageId),
  };
  if (filter.tags?.length) query.tags = { $all: filter.tags };
  for (const [field, value] of Object.entries(filter.customFields ?? {})) {
    query[`customFields.${field}`] = value;
  }
  if (filter.optInSources?.length) query['optIn.source'] = { $in: filter.optInSources };
  const range: Record<string, Date> = {};
  if (filter.lastInteractionAfter) range.$gte = new Date(filter.lastInteractionAfter);
  if (filter.lastInteractionBefore) range.$lte = new Date(filter.lastInteractionBefore);
  if (Object.keys(range).length > 0) query.lastInteractionAt = range;
  return query;
}

/**
 * Who in the segment `decideSend` would allow now, as a query: subscribed, and for a promotional broadcast inside
 * the 24-hour window (`now < lastInteractionAt + 24 h`). A tagged broadcast may go outside the window. One flat
 * filter, the window beside the segment's own range on the same field: the embedded FerretDB answers `page` and
 * `status` from their index only at the top level, and scans every Page's subscribers under an `$and`.
 */
export function reachableQuery(
  segment: SubscriberQuery,
  purpose: BroadcastPurpose,
  now: Date,
): SubscriberQuery {
  const reachable: SubscriberQuery = { ...segment, status: 'subscribed' };
  if (purpose !== 'promotional') return reachable;
  const windowStart = new Date(now.getTime() - STANDARD_WINDOW_MS);
  return { ...reachable, lastInteractionAt: { ...segment.lastInteractionAt, $gt: windowStart } };
}

export interface PageEstimate {
  pageId: string;
  eligible: number;
  excluded: {
    filteredOut: number;
    unsubscribed: number;
    blocked: number;
    outsideWindow: number;
    pageNeedsReauth: number;
  };
}

/** Unsubscribed because Meta answered 551: to a marketer that is "blocked the Page", not an opt-out. */
const unreachable: SubscriberQuery = { status: 'unsubscribed', 'unsubscribed.cause': 'unreachable' };

/**
 * The estimate for one Page, in the order `decideSend` applies its rules (blocked, Page paused, unsubscribed,
 * window), with `countDocuments` only: FerretDB has no `$facet`.
 */
export async function estimatePage(
  workspaceId: string,
  pageId: string,
  pageMaySend: boolean,
  filter: AudienceFilter,
  purpose: BroadcastPurpose,
  now: Date,
): Promise<PageEstimate> {
  const segment = segmentQuery(workspaceId, pageId, filter);
  const [everyone, selected, blocked, unsubscribed, reachable] = await Promise.all([
    SubscriberModel.countDocuments(segmentQuery(workspaceId, pageId, {})),
    SubscriberModel.countDocuments(segment),
    SubscriberModel.countDocuments({ ...segment, $or: [{ status: 'blocked' }, unreachable] }),
    SubscriberModel.countDocuments({
      ...segment,
      status: 'unsubscribed',
      'unsubscribed.cause': { $ne: 'unreachable' },
    }),
    SubscriberModel.countDocuments(reachableQuery(segment, purpose, now)),
  ]);
  const subscribed = selected - blocked - unsubscribed;
  const excluded = {
    filteredOut: everyone - selected,
    blocked,
    unsubscribed: pageMaySend ? unsubscribed : 0,
    outsideWindow: pageMaySend ? subscribed - reachable : 0,
    pageNeedsReauth: pageMaySend ? 0 : selected - blocked,
  };
  return { pageId, eligible: pageMaySend ? reachable : 0, excluded };
}
