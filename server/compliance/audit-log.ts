import { Types } from 'mongoose';
import { z } from 'zod';
import { AuditLogModel, auditActorKinds, type AuditLog } from '../../models/audit-log';
import { canSeePage, hiddenPageIds, type Member } from '../accounts/authorization';
import { afterCursor, encodeCursor } from '../livechat/inbox-query';
import { BadRequest, NotFound } from '../platform/errors';
import { objectIdString } from '../platform/ids';

const isoDay = /^\d{4}-\d{2}-\d{2}$/u;
/** A day (`2026-11-30`, the whole UTC day) or a moment (`2026-11-30T14:00:00Z`). */
const dayOrMoment = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const auditFilterSchema = z.strictObject({
  pageId: objectIdString.optional(),
  /** An action (`bot.replied`) or every action of a kind (`bot`, `capture`, `subscriber`, ...). */
  action: z
    .string()
    .max(100)
    .regex(/^[a-z_]+(\.[a-z_]+)*$/u, 'expects an action such as bot.replied, or its first word')
    .optional(),
  actorKind: z.enum(auditActorKinds).optional(),
  from: dayOrMoment.optional(),
  to: dayOrMoment.optional(),
  /** The exact id of what the action was done to: a comment, message, broadcast, subscriber or Page. */
  objectId: z.string().trim().min(1).max(200).optional(),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export const auditQuerySchema = auditFilterSchema.extend({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const startOf = (value: string) => new Date(isoDay.test(value) ? `${value}T00:00:00.000Z` : value);
/** `to` includes the whole of its day. */
const endOf = (value: string) =>
  isoDay.test(value) ? new Date(Date.parse(`${value}T00:00:00.000Z`) + 86_400_000) : new Date(value);

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');

/**
 * The filter of the member's audit entries: their workspace (the leading field of both indexes), one Page they may
 * see or none hidden from them, and the rest of the filters on what the index narrowed to.
 */
export async function auditFilterFor(member: Member, filter: AuditFilter): Promise<Record<string, unknown>> {
  const at: Record<string, Date> = {};
  if (filter.from) at.$gte = startOf(filter.from);
  if (filter.to) at.$lt = endOf(filter.to);
  if (at.$gte && at.$lt && at.$gte >= at.$lt) throw new BadRequest('`from` must be before `to`.');
  let page: unknown;
  if (filter.pageId) {
    if (!(await canSeePage(member, filter.pageId))) throw new NotFound('No such Page.');
    page = new Types.ObjectId(filter.pageId);
  } else {
    const hidden = await hiddenPageIds(member);
    if (hidden.length > 0) page = { $nin: hidden.map((id) => new Types.ObjectId(id)) };
  }
  return {
    workspace: new Types.ObjectId(member.workspaceId),
    ...(page ? { page } : {}),
    ...(Object.keys(at).length > 0 ? { at } : {}),
    ...(filter.action ? { action: { $regex: `^${escapeRegex(filter.action)}(\\.|$)` } } : {}),
    ...(filter.actorKind ? { 'actor.kind': filter.actorKind } : {}),
    ...(filter.objectId ? { 'object.id': filter.objectId } : {}),
  };
}

/** Every entry has an actor and an object (the schema requires their fields); mongoose types them as optional. */
type StoredEntry = AuditLog & {
  _id: Types.ObjectId;
  actor: NonNullable<AuditLog['actor']>;
  object: NonNullable<AuditLog['object']>;
};

export function auditEntryView(entry: StoredEntry) {
  return {
    id: entry._id.toString(),
    at: entry.at.toISOString(),
    pageId: entry.page?.toString() ?? null,
    actor: { kind: entry.actor.kind, id: entry.actor.id },
    action: entry.action,
    object: { kind: entry.object.kind, id: entry.object.id },
    basis: entry.basis,
    details: (entry.details as Record<string, unknown> | undefined) ?? null,
  };
}
export type AuditEntryView = ReturnType<typeof auditEntryView>;

/** One page of the log, newest first, and the cursor of the next. */
export async function listAuditEntries(member: Member, query: z.infer<typeof auditQuerySchema>) {
  const filter = await auditFilterFor(member, query);
  const rows = await AuditLogModel.find({ ...filter, ...afterCursor('at', query.cursor) })
    .sort({ at: -1, _id: -1 })
    .limit(query.limit + 1)
    .lean<StoredEntry[]>();
  const shown = rows.slice(0, query.limit);
  const last = shown.at(-1);
  return {
    data: shown.map(auditEntryView),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.at, last._id) : null,
  };
}

/** Every matching entry, newest first, read in batches: the export streams it without holding it. */
export async function* eachAuditEntry(member: Member, filter: AuditFilter): AsyncGenerator<AuditEntryView> {
  const cursor = AuditLogModel.find(await auditFilterFor(member, filter))
    .sort({ at: -1, _id: -1 })
    .lean<StoredEntry[]>()
    .cursor({ batchSize: 500 });
  for await (const entry of cursor) yield auditEntryView(entry as StoredEntry);
}
