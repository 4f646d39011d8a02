import type { Db } from 'mongodb';
import type { Clock } from '../platform/clock';
import { jobsCollection } from './agenda';
import type { JobDefinition } from './job-registry';

export const purgeFinishedJobsJobName = 'jobs:purge-finished';

/**
 * One-time jobs that ended and will not run again: a failed one once it failed over `keepFailedMs` ago, one that never
 * failed at once (this build removes those as they end; an older build kept them). Recurring jobs always have a next
 * run, and a running one is locked, so they stay.
 */
export function purgeFinishedJobsJob(db: Db, clock: Clock, keepFailedMs: number): JobDefinition<unknown> {
  return {
    name: purgeFinishedJobsJobName,
    // One deleteMany over the jobs collection.
    lockLifetimeMs: 10 * 60_000,
    concurrency: 1,
    handle: async () => {
      await db.collection(jobsCollection).deleteMany({
        nextRunAt: null,
        lockedAt: null,
        lastFinishedAt: { $ne: null },
        $or: [{ failedAt: null }, { failedAt: { $lt: new Date(clock.now().getTime() - keepFailedMs) } }],
      });
    },
  };
}
