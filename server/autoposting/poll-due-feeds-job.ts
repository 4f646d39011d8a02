import { AutopostFeedModel, type AutopostFeedRecord } from '../../models/autopost-feed';
import type { JobDefinition } from '../jobs/job-registry';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { PollResult } from './poll-feed';

export const pollDueFeedsJobName = 'autoposting:poll-due-feeds';
/** How often the job looks for due feeds; each feed's own interval is at least this. */
export const pollDueFeedsEvery = '1 minute';

/** When a feed read at `readAt` is next due: a whole interval on, whoever read it. */
export const nextPollAfter = (readAt: Date, feed: Pick<AutopostFeedRecord, 'pollEveryMinutes'>) =>
  new Date(readAt.getTime() + feed.pollEveryMinutes * 60_000);

/** Feeds read per run; the rest are due still and read on the next run. */
const feedsPerRun = 20;

/**
 * `autoposting:poll-due-feeds`: reads every active feed whose time has come. A feed is claimed by moving its
 * `nextPollAt` forward in one conditional update, so two processes running this job read each due feed once.
 * Each run first marks deliveries left `sending` by a stopped process as interrupted.
 */
export function pollDueFeedsJob(deps: {
  clock: Clock;
  logger: Logger;
  poll(feedId: string): Promise<PollResult>;
  markInterrupted(): Promise<void>;
}): JobDefinition {
  return {
    name: pollDueFeedsJobName,
    // Longer than feedsPerRun reads can take, each bounded by AUTOPOSTING_FETCH_TIMEOUT_MS and its retries.
    lockLifetimeMs: 15 * 60_000,
    concurrency: 1,
    async handle() {
      await deps.markInterrupted();
      const now = deps.clock.now();
      const due = await AutopostFeedModel.find({ active: true, nextPollAt: { $lte: now } })
        .select({ _id: 1, nextPollAt: 1, pollEveryMinutes: 1 })
        .limit(feedsPerRun)
        .lean();
      for (const feed of due) {
        const claimed = await AutopostFeedModel.updateOne(
          { _id: feed._id, nextPollAt: feed.nextPollAt },
          { $set: { nextPollAt: nextPollAfter(now, feed) } },
        );
        if (claimed.modifiedCount === 0) continue;
        // One feed's trouble (its problem is on the feed already) must not keep the others unread.
        try {
          await deps.poll(String(feed._id));
        } catch (error) {
          deps.logger.error({ err: error, feedId: String(feed._id) }, 'autoposting poll failed');
        }
      }
    },
  };
}
