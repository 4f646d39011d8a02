import { Types } from 'mongoose';
import { ConversationModel, conversationStatuses, type ConversationRecord } from '../../models/conversation';
import { MessageModel } from '../../models/message';
import { BadRequest } from '../platform/errors';
import { byLastMessage } from '../messaging/conversation-order';
import { firstAcross } from '../platform/database/index-ranges';

export interface InboxQuery {
  workspaceId: string;
  pageIds: string[];
  userId: string;
  status?: 'open' | 'resolved';
  view?: 'mine' | 'unassigned';
  q?: string;
  cursor?: string;
  limit: number;
}

/** A position in a list sorted by (time, _id) descending: opaque to clients. */
export const encodeCursor = (at: Date, id: Types.ObjectId) =>
  Buffer.from(`${at.getTime()}:${id.toHexString()}`).toString('base64url');

export function decodeCursor(cursor: string): { at: Date; id: Types.ObjectId } {
  const [ms, id] = Buffer.from(cursor, 'base64url').toString().split(':');
  if (!ms || !id || !Types.ObjectId.isValid(id) || !Number.isFinite(Number(ms)))
    throw new BadRequest('Invalid cursor.');
  return { at: new Date(Number(ms)), id: new Types.ObjectId(id) };
}

/** Strictly after the cursor in (field desc, _id desc) order. */
export function afterCursor(field: string, cursor: string | undefined, direction: 'desc' | 'asc' = 'desc') {
  if (!cursor) return {};
  const { at, id } = decodeCursor(cursor);
  const op = direction === 'desc' ? '$lt' : '$gt';
  return { $or: [{ [field]: { [op]: at } }, { [field]: at, _id: { [op]: id } }] };
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');

/** Conversations whose subscriber name or any message text contains `q` (case-insensitive, literal). */
async function searchFilter(q: string, pageIds: Types.ObjectId[]) {
  const pattern = { $regex: escapeRegex(q.trim()), $options: 'i' };
  const byText = await MessageModel.distinct('conversation', { page: { $in: pageIds }, text: pattern });
  return { $or: [{ subscriberName: pattern }, { _id: { $in: byText.slice(0, 500) } }] };
}

/**
 * The inbox, newest first, paged by (lastMessageAt, _id): one read per status and Page, each walking an index from the
 * newest and stopping after a page's worth, merged (`firstAcross`). An agent's own conversations are read by the
 * (workspace, assignee, status, lastMessageAt) index, the rest by (page, status, lastMessageAt, _id): a read by Page
 * for one agent's few conversations would go through all the others.
 */
export async function listConversations(query: InboxQuery) {
  const pageIds = query.pageIds.map((id) => new Types.ObjectId(id));
  const statuses = query.status ? [query.status] : conversationStatuses;
  const rest = {
    ...(query.view === 'unassigned' ? { assignee: null } : {}),
    $and: [afterCursor('lastMessageAt', query.cursor), query.q ? await searchFilter(query.q, pageIds) : {}],
  };
  const newestOf = (filter: Record<string, unknown>) =>
    ConversationModel.find({ ...filter, ...rest })
      .sort({ lastMessageAt: -1, _id: -1 })
      .limit(query.limit + 1)
      .lean<ConversationRecord[]>();
  const mine = {
    workspace: new Types.ObjectId(query.workspaceId),
    assignee: new Types.ObjectId(query.userId),
  };
  const reads =
    query.view === 'mine'
      ? statuses.map((status) => newestOf({ ...mine, status, page: { $in: pageIds } }))
      : pageIds.flatMap((page) => statuses.map((status) => newestOf({ page, status })));
  const rows = await firstAcross(reads, byLastMessage(-1), query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > query.limit && last ? encodeCursor(last.lastMessageAt, last._id) : null;
  return { conversations: page, nextCursor };
}
