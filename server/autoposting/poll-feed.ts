import { Types } from 'mongoose';
import { AutopostFeedModel, type AutopostFeedRecord } from '../../models/autopost-feed';
import { AutopostItemModel, type AutopostItemRecord } from '../../models/autopost-item';
import { PageModel } from '../../models/page';
import type { Clock } from '../platform/clock';
import { isDuplicateKey } from '../platform/database/duplicate-key';
import { entryOf, type ItemDelivery } from './deliveries';
import type { FeedEntry } from './feed-reader';
import type { SourceReader } from './source-reader';

export interface PollResult {
  ok: boolean;
  /** Why the read failed, in words an admin can act on. */
  problem: string | null;
  entries: number;
  /** Items seen for the first time on this read and sent to the feed's targets. */
  newItems: number;
  /** Items the feed already held when it was added: marked seen, sent nowhere. */
  baselineItems: number;
}

export interface PollDeps {
  readSource: SourceReader;
  deliverItem: ItemDelivery['deliverItem'];
  clock: Clock;
}

/** Oldest first, so the Page's feed shows them in the order they were published. */
function oldestFirst(entries: FeedEntry[]): FeedEntry[] {
  if (entries.every((entry) => entry.publishedAt))
    return [...entries].sort((a, b) => a.publishedAt!.getTime() - b.publishedAt!.getTime());
  return [...entries].reverse();
}

/**
 * Items a poll inserted but did not see through (its process died, or it is still at work in another one): sent to
 * whichever targets have no outcome yet. The (item, target) claims keep each target once, whoever gets there first.
 */
async function finishUnsettled(deps: PollDeps, feed: AutopostFeedRecord, justDelivered: Set<string>) {
  const unsettled = await AutopostItemModel.find({ feed: feed._id, settledAt: null }).lean<
    AutopostItemRecord[]
  >();
  for (const item of unsettled) {
    if (justDelivered.has(String(item._id))) continue;
    await deps.deliverItem(feed, item, entryOf(item));
  }
}

/**
 * One read of a feed, whatever its source. Each entry is inserted as an item against the unique (feed, key) index: the read whose insert
 * succeeds sends it, so reading twice, reading a reordered feed, or two processes reading at once adds nothing.
 * The first read of a new feed only marks what is there as seen; `baselineAt` is set after those inserts, so a read
 * that finds it set finds every back-catalogue item already inserted.
 */
export async function pollFeed(deps: PollDeps, feedId: Types.ObjectId | string): Promise<PollResult> {
  const feed = await AutopostFeedModel.findById(feedId).lean<AutopostFeedRecord>();
  if (!feed) return { ok: false, problem: 'No such feed.', entries: 0, newItems: 0, baselineItems: 0 };
  const failed = async (problem: string): Promise<PollResult> => {
    await AutopostFeedModel.updateOne(
      { _id: feed._id },
      { $set: { lastPolledAt: deps.clock.now(), lastError: problem } },
    );
    return { ok: false, problem, entries: 0, newItems: 0, baselineItems: 0 };
  };
  // Nothing of a disconnected Page's is sent anywhere, X included; what it missed is seen once it is back.
  const pages = feed.sourcePage ? [feed.page, feed.sourcePage] : [feed.page];
  const connectedPages = await PageModel.find(
    { _id: { $in: pages }, workspace: feed.workspace, connected: true },
    { _id: 1 },
  ).lean();
  const connected = new Set(connectedPages.map((page) => String(page._id)));
  if (!connected.has(String(feed.page)))
    return failed('The Page is not connected: the feed is read again once it is reconnected.');
  if (feed.sourcePage && !connected.has(String(feed.sourcePage)))
    return failed(
      'The Page whose posts are read is not connected: they are read again once it is reconnected.',
    );
  const read = await deps.readSource(feed);
  if (!read.ok) return failed(read.problem);
  const baseline = feed.baselineAt === null;
  const fresh: { item: AutopostItemRecord; entry: FeedEntry }[] = [];
  for (const entry of oldestFirst(read.entries)) {
    try {
      const item = await AutopostItemModel.create({
        workspace: feed.workspace,
        feed: feed._id,
        key: entry.key,
        title: entry.title,
        link: entry.link,
        summary: entry.summary,
        publishedAt: entry.publishedAt,
        baseline,
        seenAt: deps.clock.now(),
        settledAt: baseline ? deps.clock.now() : null,
      });
      fresh.push({ item: item.toObject(), entry });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
  const now = deps.clock.now();
  await AutopostFeedModel.updateOne(
    { _id: feed._id },
    { $set: { lastPolledAt: now, lastError: null, ...(baseline ? { baselineAt: now } : {}) } },
  );
  if (!baseline) for (const { item, entry } of fresh) await deps.deliverItem(feed, item, entry);
  await finishUnsettled(deps, feed, new Set(fresh.map(({ item }) => String(item._id))));
  return {
    ok: true,
    problem: null,
    entries: read.entries.length,
    newItems: baseline ? 0 : fresh.length,
    baselineItems: baseline ? fresh.length : 0,
  };
}
