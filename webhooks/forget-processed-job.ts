import { WebhookEvent } from '../models/webhook-event';
import { forgetPayloads } from './event-store';
import type { JobDefinition } from '../server/jobs/job-registry';
import type { Clock } from '../server/platform/clock';

export const forgetProcessedEventsJobName = 'webhooks:forget-processed';

/**
 * A processed event is kept while Meta may still deliver it again (retries last up to 36 hours), so its unique
 * `key` drops the redelivery; after that it is deleted. Dead events stay for an admin to look at.
 */
export function forgetProcessedEventsJob(clock: Clock, retentionMs: number): JobDefinition<unknown> {
  return {
    name: forgetProcessedEventsJobName,
    // One deleteMany (and a delete per payload stored apart); ten minutes is ample even for a large backlog.
    lockLifetimeMs: 600_000,
    concurrency: 1,
    handle: async () => {
      const forgotten = {
        status: 'processed' as const,
        processedAt: { $lt: new Date(clock.now().getTime() - retentionMs) },
      };
      const apart = await WebhookEvent.find({ ...forgotten, payloadApart: true })
        .select({ key: 1 })
        .lean<{ key: string }[]>();
      await forgetPayloads(apart.map((event) => event.key));
      await WebhookEvent.deleteMany(forgotten);
    },
  };
}
