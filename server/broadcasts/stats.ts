import { Types } from 'mongoose';
import { BroadcastLaneModel } from '../../models/broadcast-batch';
import { BroadcastClickModel } from '../../models/broadcast-link';
import { BroadcastRecipientModel, type RecipientStatus } from '../../models/broadcast-recipient';

export interface BroadcastTotals {
  recipients: number;
  pending: number;
  sent: number;
  delivered: number;
  read: number;
  clicked: number;
  skipped: number;
  failed: number;
  unknown: number;
  /** Unique clicks (one per recipient and link). */
  clicks: number;
}

const emptyTotals = (): BroadcastTotals => ({
  recipients: 0,
  pending: 0,
  sent: 0,
  delivered: 0,
  read: 0,
  clicked: 0,
  skipped: 0,
  failed: 0,
  unknown: 0,
  clicks: 0,
});

/**
 * Totals derived from the recipients, never kept as counters (several writers cannot `$inc` safely on FerretDB).
 * A recipient's status only moves forward (sent -> delivered -> read -> clicked), so `sent` counts every message
 * that went out, `delivered` every one delivered, and so on. `pending` are the members of a Page's batches whose
 * outcome has no document yet: what the fan-out wrote minus what was recorded.
 */
export async function totalsOf(
  broadcastId: string,
): Promise<{ all: BroadcastTotals; byPage: Record<string, BroadcastTotals> }> {
  const broadcast = new Types.ObjectId(broadcastId);
  const [groups, clicks, lanes] = await Promise.all([
    BroadcastRecipientModel.aggregate<{ _id: { page: Types.ObjectId; status: RecipientStatus }; n: number }>([
      { $match: { broadcast } },
      { $group: { _id: { page: '$page', status: '$status' }, n: { $sum: 1 } } },
    ]),
    BroadcastClickModel.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { broadcast } },
      { $group: { _id: '$page', n: { $sum: 1 } } },
    ]),
    BroadcastLaneModel.find({ broadcast }).select({ page: 1, recipients: 1 }).lean(),
  ]);
  const all = emptyTotals();
  const byPage: Record<string, BroadcastTotals> = {};
  for (const { _id, n } of groups) {
    const page = (byPage[_id.page.toString()] ??= emptyTotals());
    for (const totals of [all, page]) addStatus(totals, _id.status, n);
  }
  for (const lane of lanes) {
    const page = (byPage[lane.page.toString()] ??= emptyTotals());
    const pending = Math.max(0, lane.recipients - page.recipients);
    for (const totals of [all, page]) addStatus(totals, 'pending', pending);
  }
  for (const { _id, n } of clicks) {
    all.clicks += n;
    (byPage[_id.toString()] ??= emptyTotals()).clicks += n;
  }
  return { all, byPage };
}

/** The totals of several broadcasts at once (a page of the list), with the same rules, in three queries. */
export async function totalsOfEach(broadcastIds: Types.ObjectId[]): Promise<Map<string, BroadcastTotals>> {
  const broadcast = { $in: broadcastIds };
  const [groups, clicks, lanes] = await Promise.all([
    BroadcastRecipientModel.aggregate<{
      _id: { broadcast: Types.ObjectId; status: RecipientStatus };
      n: number;
    }>([
      { $match: { broadcast } },
      { $group: { _id: { broadcast: '$broadcast', status: '$status' }, n: { $sum: 1 } } },
    ]),
    BroadcastClickModel.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { broadcast } },
      { $group: { _id: '$broadcast', n: { $sum: 1 } } },
    ]),
    BroadcastLaneModel.find({ broadcast }).select({ broadcast: 1, recipients: 1 }).lean(),
  ]);
  const totals = new Map(broadcastIds.map((id) => [id.toString(), emptyTotals()]));
  const of = (id: Types.ObjectId) => totals.get(id.toString()) ?? emptyTotals();
  for (const { _id, n } of groups) addStatus(of(_id.broadcast), _id.status, n);
  // Recipients recorded so far are counted above; the rest of what the fan-out wrote is still pending.
  const written = new Map<string, number>();
  for (const lane of lanes)
    written.set(lane.broadcast.toString(), (written.get(lane.broadcast.toString()) ?? 0) + lane.recipients);
  for (const [id, count] of written) {
    const one = totals.get(id);
    if (one) addStatus(one, 'pending', Math.max(0, count - one.recipients));
  }
  for (const { _id, n } of clicks) of(_id).clicks += n;
  return totals;
}

const reached: RecipientStatus[] = ['sent', 'delivered', 'read', 'clicked'];

function addStatus(totals: BroadcastTotals, status: RecipientStatus, n: number): void {
  totals.recipients += n;
  const rank = reached.indexOf(status);
  if (rank < 0) {
    totals[status as 'pending' | 'skipped' | 'failed' | 'unknown'] += n;
    return;
  }
  for (const step of reached.slice(0, rank + 1)) totals[step as 'sent'] += n;
}
