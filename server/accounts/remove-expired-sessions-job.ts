import type { Db } from 'mongodb';
import type { Clock } from '../platform/clock';
import type { JobDefinition } from '../jobs/job-registry';
import { sessionCollectionName } from './session';

export const removeExpiredSessionsJobName = 'accounts:remove-expired-sessions';

/** Housekeeping only: the session store already ignores an expired session when it reads one. */
export function removeExpiredSessionsJob(db: () => Db, clock: Clock): JobDefinition<unknown> {
  return {
    name: removeExpiredSessionsJobName,
    // One deleteMany; a minute is ample.
    lockLifetimeMs: 60_000,
    concurrency: 1,
    handle: async () => {
      await db()
        .collection(sessionCollectionName)
        .deleteMany({ expires: { $lt: clock.now() } });
    },
  };
}
