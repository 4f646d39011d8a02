import type { Types } from 'mongoose';
import { byIdAscending } from '../platform/database/index-ranges';

type Ordered = { lastMessageAt: Date; _id: Types.ObjectId };

/** The inbox's order: by the last message's time, then by `_id`, both ascending (1) or both descending (-1). */
export const byLastMessage =
  (direction: 1 | -1) =>
  (a: Ordered, b: Ordered): number =>
    direction * (a.lastMessageAt.getTime() - b.lastMessageAt.getTime() || byIdAscending(a, b));
