import { Types } from 'mongoose';
import type { JobDefinition } from '../jobs/job-registry';
import { publishPostJobName, type ShareService } from './share-service';

/** `x:publish-post`: a scheduled share goes when its time comes; the post's claim makes a second run do nothing. */
export function publishPostJob(shares: Pick<ShareService, 'publish'>): JobDefinition<{ postId: string }> {
  return {
    name: publishPostJobName,
    // A token refresh, the follower count and the post: three calls to X of X_TIMEOUT_MS at most, plus retries.
    lockLifetimeMs: 2 * 60_000,
    concurrency: 4,
    handle: async ({ postId }) => {
      if (Types.ObjectId.isValid(postId)) await shares.publish(new Types.ObjectId(postId));
    },
  };
}
