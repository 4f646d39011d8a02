import { Types } from 'mongoose';
import { BroadcastModel, type BroadcastRecord, type BroadcastState } from '../../models/broadcast';
import { BroadcastBatchResultModel, BroadcastLaneModel } from '../../models/broadcast-batch';
import { publishDomainEvent } from '../platform/domain-events';
import { Conflict, NotFound } from '../platform/errors';
import type { BroadcastJobDeps } from './send-context';
import { totalsOf } from './stats';
import { statesThatMayBecome } from './state-machine';

/**
 * Moves a broadcast along the state table, once: the filter names the states the move may start from, so a second
 * caller finds nothing to change. Answers the broadcast as it is after the move. `unset` removes fields (mongoose
 * drops an `undefined` in `$set`, so it cannot clear one).
 */
export async function moveBroadcast(
  workspaceId: string,
  broadcastId: string,
  to: BroadcastState,
  set: Partial<BroadcastRecord> = {},
  unset: (keyof BroadcastRecord)[] = [],
): Promise<BroadcastRecord> {
  if (!Types.ObjectId.isValid(broadcastId)) throw new NotFound('No such broadcast.');
  const moved = await BroadcastModel.findOneAndUpdate(
    { _id: broadcastId, workspace: workspaceId, state: { $in: statesThatMayBecome(to) } },
    {
      $set: { ...set, state: to },
      ...(unset.length > 0 ? { $unset: Object.fromEntries(unset.map((field) => [field, ''])) } : {}),
    },
    { returnDocument: 'after' },
  ).lean();
  if (moved) return moved;
  const current = await BroadcastModel.findOne({ _id: broadcastId, workspace: workspaceId }).lean();
  if (!current) throw new NotFound('No such broadcast.');
  throw new Conflict(`A ${current.state} broadcast cannot become ${to}.`, { from: current.state, to });
}

/** A sending broadcast stops taking new claims; sends already claimed finish. */
export async function pauseBroadcast(broadcastId: string, reason: string): Promise<void> {
  await BroadcastModel.updateOne(
    { _id: broadcastId, state: 'sending' },
    { $set: { state: 'paused', stateReason: reason } },
  );
}

/**
 * Completes a sending broadcast once every Page's fan-out is written and every batch of it is finished; the one call
 * that completes it hands it to the summary.
 */
export async function completeIfDone(
  deps: Pick<BroadcastJobDeps, 'clock' | 'summary'>,
  broadcastId: string,
): Promise<void> {
  const now = deps.clock.now();
  const broadcast = new Types.ObjectId(broadcastId);
  const [lanes, finished] = await Promise.all([
    BroadcastLaneModel.find({ broadcast }).select({ batches: 1, fannedOutAt: 1 }).lean(),
    BroadcastBatchResultModel.countDocuments({ broadcast }),
  ]);
  if (lanes.some((lane) => !lane.fannedOutAt)) return;
  if (finished < lanes.reduce((sum, lane) => sum + lane.batches, 0)) return;
  const completed = await BroadcastModel.findOneAndUpdate(
    { _id: broadcastId, state: 'sending', fannedOutAt: { $exists: true } },
    { $set: { state: 'completed', finishedAt: now } },
    { returnDocument: 'after' },
  ).lean();
  if (!completed) return;
  deps.summary.afterEnd(completed, { kind: 'job', id: 'broadcast:send-batch' });
  const { all } = await totalsOf(broadcastId);
  publishDomainEvent('broadcast.completed', String(completed.workspace), now, {
    broadcastId,
    name: completed.name,
    startedAt: completed.startedAt?.toISOString() ?? null,
    finishedAt: now.toISOString(),
    totals: {
      recipients: all.recipients,
      sent: all.sent,
      skipped: all.skipped,
      failed: all.failed,
      unknown: all.unknown,
    },
  });
}
