import { Types } from 'mongoose';
import { BroadcastBatchResultModel } from '../../models/broadcast-batch';
import {
  BroadcastRecipientModel,
  type BroadcastRecipientRecord,
  type RecipientStatus,
} from '../../models/broadcast-recipient';
import { SubscriberModel } from '../../models/subscriber';

/**
 * What a broadcast did, for its results screen: outcomes over time, what went wrong and why, and each recipient.
 * Everything is read from the recipients' own documents (by the `broadcast` index), as the totals are.
 */

const reached = ['sent', 'delivered', 'read', 'clicked'] as const;
type Reached = (typeof reached)[number];

export type TimelineBucket = { at: string } & Record<Reached, number>;

export interface Timeline {
  bucketSeconds: number;
  buckets: TimelineBucket[];
}

/** Bucket sizes a chart reads easily, smallest first; the first that fits the whole run in `maxBuckets` is used. */
const bucketSizes = [60, 300, 900, 3_600, 6 * 3_600, 86_400];
const maxBuckets = 48;

/**
 * When each recipient was sent, delivered, read and clicked. A status past a step implies the step (a click means
 * it was read), so a missing stamp takes the next one's time: the curves agree with the totals.
 */
function stampsOf(recipient: Pick<BroadcastRecipientRecord, 'status' | `${Reached}At`>) {
  const rank = reached.indexOf(recipient.status as Reached);
  const times = [recipient.sentAt, recipient.deliveredAt, recipient.readAt, recipient.clickedAt];
  const stamps: [Reached, number][] = [];
  for (let step = 0; step <= rank; step++) {
    const time = times.slice(step, rank + 1).find((at) => at !== undefined);
    if (time) stamps.push([reached[step]!, time.getTime()]);
  }
  return stamps;
}

/** Sends, deliveries, reads and clicks per time bucket, from the first send to the last event. */
export async function timelineOf(broadcastId: Types.ObjectId): Promise<Timeline> {
  const events: [Reached, number][] = [];
  let [first, last] = [Infinity, -Infinity];
  const recipients = BroadcastRecipientModel.find({ broadcast: broadcastId, status: { $in: reached } })
    .select({ status: 1, sentAt: 1, deliveredAt: 1, readAt: 1, clickedAt: 1 })
    .lean()
    .cursor({ batchSize: 1_000 });
  for await (const recipient of recipients) {
    for (const event of stampsOf(recipient)) {
      events.push(event);
      [first, last] = [Math.min(first, event[1]), Math.max(last, event[1])];
    }
  }
  if (events.length === 0) return { bucketSeconds: bucketSizes[0]!, buckets: [] };
  const fits = (seconds: number) => (last - first) / (seconds * 1000) < maxBuckets - 1;
  const bucketSeconds =
    bucketSizes.find(fits) ?? Math.ceil((last - first) / 1000 / (maxBuckets - 1) / 86_400) * 86_400;
  const size = bucketSeconds * 1000;
  const start = Math.floor(first / size) * size;
  const buckets: TimelineBucket[] = Array.from({ length: Math.floor((last - start) / size) + 1 }, (_, i) => ({
    at: new Date(start + i * size).toISOString(),
    sent: 0,
    delivered: 0,
    read: 0,
    clicked: 0,
  }));
  for (const [kind, at] of events) buckets[Math.floor((at - start) / size)]![kind] += 1;
  return { bucketSeconds, buckets };
}

export interface FailureGroup {
  status: 'skipped' | 'failed' | 'unknown';
  /** Our outcome and Meta's error code, e.g. `user_unavailable (551)`. */
  code: string | null;
  reason: string | null;
  count: number;
}

/** The recipients nothing reached, grouped by what happened and Meta's code, most frequent first. */
export async function failuresOf(broadcastId: Types.ObjectId): Promise<FailureGroup[]> {
  const groups = await BroadcastRecipientModel.aggregate<{
    _id: { status: FailureGroup['status']; code?: string; reason?: string };
    n: number;
  }>([
    { $match: { broadcast: broadcastId, status: { $in: ['skipped', 'failed', 'unknown'] } } },
    { $group: { _id: { status: '$status', code: '$code', reason: '$reason' }, n: { $sum: 1 } } },
  ]);
  return groups
    .map(({ _id, n }) => ({
      status: _id.status,
      code: _id.code ?? null,
      reason: _id.reason ?? null,
      count: n,
    }))
    .sort((a, b) => b.count - a.count || String(a.code).localeCompare(String(b.code)));
}

export interface RecipientQuery {
  status?: RecipientStatus | undefined;
  /** Part of the person's name, or their PSID. */
  q?: string | undefined;
  /** The last recipient id of the previous page. */
  cursor?: string | undefined;
  limit: number;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');

/** At most this many people match a name search; a broader search should be narrower. */
const searchLimit = 500;

/** One page of a broadcast's recipients in id order, with each person's name (two queries: FerretDB has no join). */
export async function recipientsOf(
  broadcast: { _id: Types.ObjectId; pages: Types.ObjectId[] },
  query: RecipientQuery,
) {
  const q = query.q?.trim();
  const named = q
    ? await SubscriberModel.find({
        page: { $in: broadcast.pages },
        searchName: { $regex: escapeRegex(q.toLowerCase()) },
      })
        .select({ _id: 1 })
        .limit(searchLimit)
        .lean()
    : [];
  const rows = await BroadcastRecipientModel.find({
    broadcast: broadcast._id,
    ...(query.status ? { status: query.status } : {}),
    ...(query.cursor ? { _id: { $gt: new Types.ObjectId(query.cursor) } } : {}),
    ...(q ? { $or: [{ psid: q }, { subscriber: { $in: named.map((s) => s._id) } }] } : {}),
  })
    .sort({ _id: 1 })
    .limit(query.limit + 1)
    .lean();
  const shown = rows.slice(0, query.limit);
  const people = await SubscriberModel.find({ _id: { $in: shown.map((row) => row.subscriber) } })
    .select({ firstName: 1, lastName: 1 })
    .lean();
  const names = new Map(
    people.map((p) => [p._id.toString(), [p.firstName, p.lastName].filter(Boolean).join(' ') || null]),
  );
  const last = shown.at(-1);
  return {
    data: shown.map((row) => recipientView(row, names.get(row.subscriber.toString()) ?? null)),
    nextCursor: rows.length > query.limit && last ? last._id.toString() : null,
  };
}

function recipientView(row: BroadcastRecipientRecord, name: string | null) {
  return {
    id: row._id.toString(),
    pageId: row.page.toString(),
    subscriberId: row.subscriber.toString(),
    psid: row.psid,
    name,
    status: row.status,
    code: row.code ?? null,
    reason: row.reason ?? null,
    sentAt: row.sentAt?.toISOString() ?? null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    readAt: row.readAt?.toISOString() ?? null,
    clickedAt: row.clickedAt?.toISOString() ?? null,
  };
}

const sparklinePoints = 16;

/**
 * Messages sent so far at equal steps of each broadcast's run, from its start (0) to its last finished batch, read
 * from the finished batches (one small document per 50 recipients): the list's sparklines.
 */
export async function sparklinesOf(
  broadcasts: { _id: Types.ObjectId; startedAt?: Date | undefined }[],
): Promise<Map<string, number[]>> {
  const results = await BroadcastBatchResultModel.find({ broadcast: { $in: broadcasts.map((b) => b._id) } })
    .select({ broadcast: 1, sent: 1, at: 1 })
    .lean();
  const byBroadcast = new Map<string, { sent: number; at: number }[]>();
  for (const result of results) {
    const id = result.broadcast.toString();
    byBroadcast.set(id, [...(byBroadcast.get(id) ?? []), { sent: result.sent, at: result.at.getTime() }]);
  }
  const lines = new Map<string, number[]>();
  for (const broadcast of broadcasts) {
    const batches = byBroadcast.get(broadcast._id.toString());
    if (!batches) continue;
    const last = Math.max(...batches.map((batch) => batch.at));
    const first = Math.min(broadcast.startedAt?.getTime() ?? last, ...batches.map((batch) => batch.at));
    const step = (last - first) / sparklinePoints;
    lines.set(
      broadcast._id.toString(),
      Array.from({ length: sparklinePoints + 1 }, (_, i) =>
        batches
          .filter((batch) => i > 0 && (i === sparklinePoints || batch.at <= first + i * step))
          .reduce((sum, batch) => sum + batch.sent, 0),
      ),
    );
  }
  return lines;
}
