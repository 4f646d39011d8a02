import type { Model } from 'mongoose';

export type ReceiptKind = 'delivery' | 'read';

type Loose = Record<string, unknown>;

/** A delivery or read receipt: who sent it, and Meta's watermark (epoch ms on Meta's clock) as a time. */
export function receiptOf(payload: Loose, kind: ReceiptKind): { psid: string; watermark: Date } | undefined {
  const psid = (payload.sender as Loose | undefined)?.id;
  const watermark = (payload[kind] as Loose | undefined)?.watermark;
  if (typeof psid !== 'string' || typeof watermark !== 'number' || !Number.isFinite(watermark))
    return undefined;
  return { psid, watermark: new Date(watermark) };
}

/** One person's sends in one collection: their conversation's outbound messages, or their broadcast recipients. */
export interface WatermarkTarget<T> {
  model: Model<T>;
  scope: Record<string, unknown>;
  /** The field that holds when each message was sent, compared with the watermark. */
  sentAt: string;
  /** The fields that record when a message was delivered and read, where the collection keeps them. */
  stampedAt?: { delivered: string; read: string };
}

interface Move {
  from: readonly string[];
  to: 'delivered' | 'read';
  stamps: ('delivered' | 'read')[];
}

function movesFor(kind: ReceiptKind, stamped: boolean): Move[] {
  if (kind === 'delivery') return [{ from: ['sent'], to: 'delivered', stamps: ['delivered'] }];
  if (!stamped) return [{ from: ['sent', 'delivered'], to: 'read', stamps: [] }];
  // Read implies delivered: a message read straight from `sent` was delivered by then too.
  return [
    { from: ['sent'], to: 'read', stamps: ['delivered', 'read'] },
    { from: ['delivered'], to: 'read', stamps: ['read'] },
  ];
}

/**
 * Meta's receipt semantics, for live chat and broadcasts alike: every message sent to the person at or before the
 * watermark was delivered (or read). A message only moves forward (sent, delivered, read), so a late delivery never
 * undoes a read and statuses past read (a click) stay. `onMoved` gets the messages as they were before moving, for
 * callers that tell someone; without it the move is one update per step and reads nothing.
 */
export async function applyWatermark<T>(
  target: WatermarkTarget<T>,
  kind: ReceiptKind,
  watermark: Date,
  onMoved?: (moved: T[], status: Move['to']) => void,
): Promise<void> {
  const model = target.model as unknown as Model<Loose>;
  for (const move of movesFor(kind, target.stampedAt !== undefined)) {
    const filter = { ...target.scope, status: { $in: move.from }, [target.sentAt]: { $lte: watermark } };
    const { stampedAt } = target;
    const stamps = stampedAt
      ? Object.fromEntries(move.stamps.map((step) => [stampedAt[step], watermark]))
      : {};
    const update = { $set: { status: move.to, ...stamps } };
    if (!onMoved) {
      await model.updateMany(filter, update);
      continue;
    }
    const moving = await model.find(filter).lean<(Loose & { _id: unknown })[]>();
    if (moving.length === 0) continue;
    await model.updateMany({ ...filter, _id: { $in: moving.map((found) => found._id) } }, update);
    onMoved(moving as unknown as T[], move.to);
  }
}
