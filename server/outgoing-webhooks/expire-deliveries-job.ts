import { OutgoingWebhookDeliveryModel, type DeliveryStatus } from '../../models/outgoing-webhook-delivery';
import type { JobDefinition } from '../jobs/job-registry';
import type { Clock } from '../platform/clock';

export const expireDeliveriesJobName = 'outgoing-webhooks:expire-deliveries';

const settled: { $in: DeliveryStatus[] } = { $in: ['delivered', 'failed'] };
const batchSize = 500;

/** Deliveries settled before that instant (read through the `{status, settledAt}` index). */
export const settledBefore = (before: Date) => ({ status: settled, settledAt: { $lt: before } });
/** Settled by a build that did not stamp `settledAt`: they go by when they were created. */
const settledUnstampedBefore = (before: Date) => ({
  status: settled,
  settledAt: null,
  createdAt: { $lt: before },
});

/** Deletes deliveries settled longer ago than the retention; pending ones (a retry or a replay ahead) stay. */
export async function expireDeliveries(clock: Clock, retentionMs: number): Promise<number> {
  const before = new Date(clock.now().getTime() - retentionMs);
  return (
    (await expireMatching(settledBefore(before))) + (await expireMatching(settledUnstampedBefore(before)))
  );
}

async function expireMatching(filter: Record<string, unknown>): Promise<number> {
  let expired = 0;
  for (;;) {
    // A read finds them and a delete by _id removes them: a delete whose filter scans would hold the collection's
    // write lock on FerretDB for the whole scan (test/db/FERRETDB-NOTES.md).
    const batch = await OutgoingWebhookDeliveryModel.find(filter).select({ _id: 1 }).limit(batchSize).lean();
    if (batch.length === 0) return expired;
    // The status again: a replay since the read made that delivery pending.
    const deleted = await OutgoingWebhookDeliveryModel.deleteMany({
      _id: { $in: batch.map((delivery) => delivery._id) },
      status: settled,
    });
    expired += deleted.deletedCount;
    if (batch.length < batchSize) return expired;
  }
}

/** `outgoing-webhooks:expire-deliveries`: the delivery log keeps OUTGOING_WEBHOOKS_LOG_RETENTION_DAYS (no TTL index on FerretDB). */
export function expireDeliveriesJob(clock: Clock, retentionMs: number): JobDefinition<unknown> {
  return {
    name: expireDeliveriesJobName,
    // A read and a delete per 500 deliveries; ten minutes is ample even for a large backlog.
    lockLifetimeMs: 10 * 60_000,
    concurrency: 1,
    handle: async () => {
      await expireDeliveries(clock, retentionMs);
    },
  };
}
