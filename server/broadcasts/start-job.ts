import { Types } from 'mongoose';
import { BroadcastModel, type BroadcastRecord } from '../../models/broadcast';
import { BroadcastLinkModel } from '../../models/broadcast-link';
import { BroadcastRecipientModel } from '../../models/broadcast-recipient';
import { SubscriberModel } from '../../models/subscriber';
import type { JobDefinition } from '../jobs/job-registry';
import { reachableQuery, segmentQuery } from './audience';
import { broadcastContentSchema, urlsIn } from './content';
import { sendBatchJobName, startJobName, type BroadcastJobDeps } from './send-context';
import { completeIfDone } from './transitions';

export interface StartData {
  broadcastId: string;
  /** The `schedule.at` this start was queued for: a start left over from an earlier schedule does nothing. */
  scheduledFor?: string;
}

const writeBatch = 1_000;

/**
 * `broadcast:start`: turns a scheduled broadcast into a sending one, writes its audience as recipients (once: the
 * unique (broadcast, subscriber) index makes a second fan-out a no-op), then hands each Page to `broadcast:send-batch`.
 * Also how a resumed broadcast restarts.
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
  if (!broadcast.fannedOutAt) {
    await prepareLinks(broadcast);
    // Each Page starts sending once its own recipients are written, so the first message does not wait for every
    // Page's fan-out. After a crash this runs again: the upserts and a second send-batch job change nothing.
    for (const page of broadcast.pages) {
      await fanOut(broadcast, page.toString(), now);
      await sendPage(page);
    }
    await BroadcastModel.updateOne({ _id: broadcast._id }, { $set: { fannedOutAt: deps.clock.now() } });
  } else {
    for (const page of broadcast.pages) await sendPage(page);
  }
  await completeIfDone(broadcastId, deps.clock.now());
}

async function prepareLinks(broadcast: BroadcastRecord): Promise<void> {
  const urls = urlsIn(broadcastContentSchema.parse(broadcast.content));
  for (const url of urls) {
    await BroadcastLinkModel.updateOne(
      { broadcast: broadcast._id, url },
      { $setOnInsert: { workspace: broadcast.workspace } },
      { upsert: true },
    ).catch(ignoreDuplicates);
  }
}

/** Streams the Page's reachable segment with a cursor, so memory stays flat however large the audience. */
async function fanOut(broadcast: BroadcastRecord, pageId: string, now: Date): Promise<void> {
  const query = reachableQuery(
    segmentQuery(broadcast.workspace.toString(), pageId, broadcast.audience),
    broadcast.purpose,
    now,
  );
  const cursor = SubscriberModel.find(query)
    .select({ _id: 1, psid: 1 })
    .lean()
    .cursor({ batchSize: writeBatch });
  let batch: { subscriber: Types.ObjectId; psid: string }[] = [];
  const flush = async () => {
    const rows = batch.map((s) => ({
      broadcast: broadcast._id,
      workspace: broadcast.workspace,
      page: new Types.ObjectId(pageId),
      subscriber: s.subscriber,
      psid: s.psid,
      status: 'pending',
      attempt: 0,
    }));
    batch = [];
    await BroadcastRecipientModel.insertMany(rows, { ordered: false }).catch(ignoreDuplicates);
  };
  for await (const subscriber of cursor) {
    batch.push({ subscriber: subscriber._id, psid: subscriber.psid });
    if (batch.length >= writeBatch) await flush();
  }
  if (batch.length > 0) await flush();
}

function ignoreDuplicates(error: unknown): void {
  const { code, writeErrors } = error as {
    code?: number;
    writeErrors?: { code?: number; err?: { code?: number } }[];
  };
  if (code === 11000 && !writeErrors) return;
  if (writeErrors?.every((e) => (e.err?.code ?? e.code) === 11000)) return;
  throw error;
}
