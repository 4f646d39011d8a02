import { Types } from 'mongoose';
import { BroadcastModel, type BroadcastRecord } from '../../models/broadcast';
import { BroadcastLinkModel } from '../../models/broadcast-link';
import {
  BroadcastBatchModel,
  BroadcastLaneModel,
  batchId,
  laneId,
  type BroadcastBatchMember,
  type BroadcastLaneRecord,
} from '../../models/broadcast-batch';
import { SubscriberModel } from '../../models/subscriber';
import type { JobDefinition } from '../jobs/job-registry';
import { messageContentSchema, urlsIn } from '../messaging/message-content';
import type { Clock } from '../platform/clock';
import { isDuplicateKey } from '../platform/database/duplicate-key';
import { reachableQuery, segmentQuery } from './audience';
import { sendBatchJobName, startJobName, type BroadcastJobDeps } from './send-context';
import { completeIfDone } from './transitions';

export interface StartData {
  broadcastId: string;
  /** The `schedule.at` this start was queued for: a start left over from an earlier schedule does nothing. */
  scheduledFor?: string;
}

/**
 * `broadcast:start`: turns a scheduled broadcast into a sending one, hands each Page to `broadcast:send-batch`, and
 * writes each Page's audience as batches of recipients (once: see `fanOut`). Also how a resumed broadcast restarts.
 */
export function startJob(deps: BroadcastJobDeps): JobDefinition<StartData> {
  return {
    name: startJobName,
    lockLifetimeMs: 10 * 60_000,
    concurrency: 2,
    handle: (data) => startBroadcast(deps, data.broadcastId, data.scheduledFor),
  };
}

export async function startBroadcast(
  deps: BroadcastJobDeps,
  broadcastId: string,
  scheduledFor?: string,
): Promise<void> {
  const now = deps.clock.now();
  // Starts queued before `scheduledFor` existed carry only the id; they still start their scheduled broadcast.
  const started = await BroadcastModel.updateOne(
    {
      _id: broadcastId,
      state: 'scheduled',
      ...(scheduledFor ? { 'schedule.at': new Date(scheduledFor) } : {}),
    },
    { $set: { state: 'sending', startedAt: now } },
  );
  if (scheduledFor && started.modifiedCount === 0) return;
  const broadcast = await BroadcastModel.findById(broadcastId).lean();
  if (broadcast?.state !== 'sending') return;
  // The bar moves from the first recipient written, not only once the first batch is claimed.
  deps.progress.track(broadcastId, broadcast.workspace.toString());
  const sendPage = (page: Types.ObjectId) =>
    deps.agenda().now(sendBatchJobName, { broadcastId, pageId: page.toString() });
  if (!broadcast.fannedOutAt) await prepareLinks(broadcast);
  // Every Page's sender starts at once and takes each batch as soon as the fan-out has written it, so the first
  // message waits for one batch, not the audience. After a crash this runs again: the lanes go on where they
  // stopped and a second send-batch job of a Page finds every batch claimed or finished.
  for (const page of broadcast.pages) await sendPage(page);
  if (!broadcast.fannedOutAt) {
    const counted = broadcast.expectedRecipients === undefined ? countAudience(deps, broadcast) : undefined;
    await fanOutPages(broadcast, deps);
    await counted;
    await BroadcastModel.updateOne({ _id: broadcast._id }, { $set: { fannedOutAt: deps.clock.now() } });
  }
  await completeIfDone(deps, broadcastId);
}

/**
 * A broadcast's Pages send side by side, each at its own rate, so each Page's fan-out starts at once too: one after
 * another, the tenth Page of a broadcast waited 40 s for its first batch. A few at a time bound the open cursors of a
 * broadcast to many Pages. Every fan-out runs to its end before the first failure is thrown, so the job outlives them.
 */
const fanOutsAtOnce = 10;

async function fanOutPages(broadcast: BroadcastRecord, deps: BroadcastJobDeps): Promise<void> {
  const waiting = [...broadcast.pages];
  const workers = Array.from({ length: Math.min(fanOutsAtOnce, waiting.length) }, async () => {
    for (let page = waiting.shift(); page; page = waiting.shift())
      await fanOut(broadcast, page.toString(), deps.clock, deps.tuning.batchSize);
  });
  const failed = (await Promise.allSettled(workers)).find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Progress's total while the fan-out writes the audience out: one count over every Page, once, run beside the
 * fan-out. If it fails the bar has no total until the fan-out is done, nothing worse.
 */
async function countAudience(deps: BroadcastJobDeps, broadcast: BroadcastRecord): Promise<void> {
  const [first] = broadcast.pages;
  if (!first) return;
  const segment = {
    ...segmentQuery(broadcast.workspace.toString(), first.toString(), broadcast.audience),
    page: { $in: broadcast.pages },
  };
  try {
    const expectedRecipients = await SubscriberModel.countDocuments(
      reachableQuery(segment, broadcast.purpose, deps.clock.now()),
    );
    await BroadcastModel.updateOne({ _id: broadcast._id }, { $set: { expectedRecipients } });
  } catch (error) {
    deps.logger.warn({ err: error, broadcastId: broadcast._id.toString() }, 'audience count failed');
  }
}

async function prepareLinks(broadcast: BroadcastRecord): Promise<void> {
  const urls = urlsIn(messageContentSchema.parse(broadcast.content));
  for (const url of urls) {
    await BroadcastLinkModel.updateOne(
      { broadcast: broadcast._id, url },
      { $setOnInsert: { workspace: broadcast.workspace } },
      { upsert: true },
    ).catch(ignoreDuplicates);
  }
}

/**
 * Streams the Page's reachable segment with a cursor in `_id` order and writes it as batches, so memory stays flat
 * however large the audience and the sender can start on batch 0 while later ones are written. A batch's recipients
 * get their documents when their outcomes are recorded. The lane moves past a batch after writing it: a fan-out that
 * starts again after a crash moves past a batch it wrote but did not count, and goes on after that batch's last
 * subscriber, so every subscriber is in one batch at most. A second fan-out of the same lane at once loses the insert
 * of its first batch and stops.
 */
async function fanOut(
  broadcast: BroadcastRecord,
  pageId: string,
  clock: Clock,
  batchSize: number,
): Promise<void> {
  const now = clock.now();
  const broadcastId = broadcast._id.toString();
  const page = new Types.ObjectId(pageId);
  const lane = await openLane(broadcast, page);
  if (lane.fannedOutAt) return;
  let { batches, recipients, after } = lane;
  const movePast = async (members: BroadcastBatchMember[]) => {
    batches += 1;
    recipients += members.length;
    after = members[members.length - 1]?.subscriber;
    // Only forward: a second fan-out of the lane (a restart of a stalled one) may have moved it further already.
    await BroadcastLaneModel.updateOne(
      { _id: lane._id, batches: { $lt: batches } },
      { $set: { batches, recipients, after } },
    );
  };
  const uncounted = await BroadcastBatchModel.findById(batchId(broadcastId, pageId, batches)).lean();
  if (uncounted) await movePast(uncounted.members);

  const segment = segmentQuery(broadcast.workspace.toString(), pageId, broadcast.audience);
  const query = reachableQuery(after ? { ...segment, _id: { $gt: after } } : segment, broadcast.purpose, now);
  const cursor = SubscriberModel.find(query)
    .sort({ _id: 1 })
    .select({ _id: 1, psid: 1, lastInteractionAt: 1, lastUserMessageAt: 1 })
    .lean()
    .cursor({ batchSize: 1_000 });
  let members: BroadcastBatchMember[] = [];
  const flush = async (): Promise<boolean> => {
    const batch = {
      _id: batchId(broadcastId, pageId, batches),
      broadcast: broadcast._id,
      page,
      seq: batches,
      readAt: now,
      members,
    };
    members = [];
    try {
      // `lean`: built here from the cursor's typed values; hydrating 50 members cost more than the write itself.
      await BroadcastBatchModel.insertMany([batch], { lean: true });
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
    await movePast(batch.members);
    return true;
  };
  for await (const subscriber of cursor) {
    members.push({
      recipient: new Types.ObjectId(),
      subscriber: subscriber._id,
      psid: subscriber.psid,
      lastInteractionAt: subscriber.lastInteractionAt,
      ...(subscriber.lastUserMessageAt ? { lastUserMessageAt: subscriber.lastUserMessageAt } : {}),
    });
    if (members.length >= batchSize && !(await flush())) return cursor.close();
  }
  if (members.length > 0 && !(await flush())) return;
  await BroadcastLaneModel.updateOne({ _id: lane._id }, { $set: { fannedOutAt: clock.now() } });
}

async function openLane(broadcast: BroadcastRecord, page: Types.ObjectId): Promise<BroadcastLaneRecord> {
  const _id = laneId(broadcast._id.toString(), page.toString());
  const existing = await BroadcastLaneModel.findById(_id).lean();
  if (existing) return existing;
  await BroadcastLaneModel.create({ _id, broadcast: broadcast._id, page, batches: 0, recipients: 0 }).catch(
    (error: unknown) => {
      if (!isDuplicateKey(error)) throw error;
    },
  );
  return (await BroadcastLaneModel.findById(_id).lean()) as BroadcastLaneRecord;
}

function ignoreDuplicates(error: unknown): void {
  if (!isDuplicateKey(error)) throw error;
}
