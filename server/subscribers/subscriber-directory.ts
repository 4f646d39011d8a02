import { Types, isValidObjectId } from 'mongoose';
import { z } from 'zod';
import {
  optInSources,
  SubscriberModel,
  subscriberStatuses,
  type SubscriberRecord,
} from '../../models/subscriber';
import type { Member } from '../accounts/authorization';
import { byIdAscending, firstAcross } from '../platform/database/index-ranges';
import { NotFound } from '../platform/errors';
import { isoInstant } from '../platform/openapi/api-operation';

export interface SubscriberDirectoryDeps {
  visiblePageIds(workspaceId: string, member: Member): Promise<string[]>;
}

export interface SubscriberListQuery {
  pageId?: string | undefined;
  tag?: string | undefined;
  /** The last id of the previous page; subscribers come in id order, so a page never repeats or skips one. */
  cursor?: string | undefined;
  limit: number;
}

/** `null` removes a field; a string sets it. */
export type CustomFieldChanges = Record<string, string | null>;

/**
 * The subscribers a member may see and the segment data (tags, custom fields) marketers keep on them. Every call
 * starts from the member: a subscriber of a Page they cannot see, or of another workspace, is a 404.
 */
export function createSubscriberDirectory(deps: SubscriberDirectoryDeps) {
  async function visibleSubscriber(member: Member, id: string): Promise<SubscriberRecord> {
    const found = isValidObjectId(id)
      ? await SubscriberModel.findOne({
          _id: new Types.ObjectId(id),
          workspace: new Types.ObjectId(member.workspaceId),
        }).lean<SubscriberRecord>()
      : null;
    if (!found || !(await deps.visiblePageIds(member.workspaceId, member)).includes(String(found.page)))
      throw new NotFound('No such subscriber.');
    return found;
  }

  async function change(member: Member, id: string, update: object): Promise<SubscriberRecord> {
    const subscriber = await visibleSubscriber(member, id);
    const updated = await SubscriberModel.findOneAndUpdate({ _id: subscriber._id }, update, {
      returnDocument: 'after',
    }).lean<SubscriberRecord>();
    if (!updated) throw new NotFound('No such subscriber.');
    return updated;
  }

  return {
    async list(member: Member, query: SubscriberListQuery) {
      const visible = await deps.visiblePageIds(member.workspaceId, member);
      const pageIds = query.pageId ? visible.filter((id) => id === query.pageId) : visible;
      if (query.pageId && pageIds.length === 0) throw new NotFound('No such Page.');
      // A Page at a time, each read walking the (page, _id) index: one read over several Pages sorts them all first
      // on FerretDB.
      const reads = pageIds.map((id) =>
        SubscriberModel.find({
          page: new Types.ObjectId(id),
          workspace: new Types.ObjectId(member.workspaceId),
          ...(query.tag ? { tags: query.tag } : {}),
          ...(query.cursor ? { _id: { $gt: new Types.ObjectId(query.cursor) } } : {}),
        })
          .sort({ _id: 1 })
          .limit(query.limit + 1)
          .lean<SubscriberRecord[]>(),
      );
      const found = await firstAcross(reads, byIdAscending, query.limit + 1);
      const subscribers = found.slice(0, query.limit);
      const last = subscribers.at(-1);
      return { subscribers, nextCursor: found.length > query.limit && last ? String(last._id) : null };
    },

    get: visibleSubscriber,

    /** Replaces the subscriber's tags (deduplicated); segments select on them at the next estimate or fan-out. */
    setTags: (member: Member, id: string, tags: string[]) =>
      change(member, id, { $set: { tags: [...new Set(tags)] } }),

    /** Sets or removes individual custom fields; fields not named are left as they are. */
    setCustomFields(member: Member, id: string, changes: CustomFieldChanges) {
      const set: Record<string, string> = {};
      const unset: Record<string, 1> = {};
      for (const [field, value] of Object.entries(changes)) {
        if (value === null) unset[`customFields.${field}`] = 1;
        else set[`customFields.${field}`] = value;
      }
      return change(member, id, {
        ...(Object.keys(set).length ? { $set: set } : {}),
        ...(Object.keys(unset).length ? { $unset: unset } : {}),
      });
    },
  };
}

export type SubscriberDirectory = ReturnType<typeof createSubscriberDirectory>;

/** A subscriber as the dashboard sees it. Dates are ISO strings. */
export function subscriberView(subscriber: SubscriberRecord) {
  return {
    id: String(subscriber._id),
    pageId: String(subscriber.page),
    psid: subscriber.psid,
    firstName: subscriber.firstName ?? null,
    lastName: subscriber.lastName ?? null,
    status: subscriber.status,
    unsubscribed: subscriber.unsubscribed?.at
      ? { at: subscriber.unsubscribed.at.toISOString(), reason: subscriber.unsubscribed.reason }
      : null,
    optInSource: subscriber.optIn.source,
    optInAt: subscriber.optIn.at.toISOString(),
    profilePic: subscriber.profilePic ?? null,
    lastInteractionAt: subscriber.lastInteractionAt.toISOString(),
    // Absent on a subscriber created by an upsert on FerretDB, which drops empty values from $setOnInsert.
    tags: subscriber.tags ?? [],
    customFields: subscriber.customFields ?? {},
  };
}

/** `subscriberView` as JSON carries it, for the OpenAPI document. */
export const subscriberViewSchema = z.object({
  id: z.string(),
  pageId: z.string(),
  psid: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  status: z.enum(subscriberStatuses),
  unsubscribed: z.object({ at: isoInstant, reason: z.string() }).nullable(),
  optInSource: z.enum(optInSources),
  optInAt: isoInstant,
  profilePic: z.string().nullable(),
  lastInteractionAt: isoInstant,
  tags: z.array(z.string()),
  customFields: z.record(z.string(), z.string()),
}) satisfies z.ZodType<ReturnType<typeof subscriberView>, unknown>;
