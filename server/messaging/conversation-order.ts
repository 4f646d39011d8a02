import type { Types } from 'mongoose';

type Ordered = { lastMessageAt: Date; _id: Types.ObjectId };

/**
 * The first `limit` conversations in (lastMessageAt, _id) order, ascending (1) or descending (-1), from reads over
 * separate ranges of an index (one per Page, or per Page and status), each in that order and at most `limit` long.
 * One read over several Pages or statuses cannot walk one range of an index in order: MongoDB merges the ranges, but
 * FerretDB's SQLite sorts every selected row first (2.4 s for six Pages of 100,000 conversations, against tens of
 * milliseconds read apart).
 */
export async function firstAcross<T extends Ordered>(
  reads: Promise<T[]>[],
  direction: 1 | -1,
  limit: number,
): Promise<T[]> {
  const order = (a: T, b: T) =>
    direction * (a.lastMessageAt.getTime() - b.lastMessageAt.getTime() || Buffer.compare(a._id.id, b._id.id));
  return (await Promise.all(reads)).flat().sort(order).slice(0, limit);
}
