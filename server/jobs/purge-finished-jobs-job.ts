import type { Db } from 'mongodb';
import type { Clock } from '../platform/clock';
import { jobsCollection } from './agenda';
import type { JobDefinition } from './job-registry';

export const purgeFinishedJobsJobName = 'jobs:purge-finished';

/**
 * One-time jobs that ended more than `keepMs` ago and will not run again: the failed ones (a successful one is removed
 * as it ends) and those an older build kept. Recurring jobs always have a next run, so they stay.
 */
export function purgeFinishedJobsJob(db: Db, clock: Clock, keepMs: number): JobDefinition<unknown> {
  return {
    name: purgeFinishedJobsJobName,
    // One deleteMany over the jobs collection.
    lockLifetimeMs: 10 * 60_000,
    concurrency: 1,
    handle: async () => {
      await db.collection(jobsCollection).deleteMany({
        nextRunAt: null,
        lockedAt: null,
        lastFinishedAt: { $lt: new Date(clock.now().getTime() - keepMs) },
      });
    },
  };
}
