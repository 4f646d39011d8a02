import type { Types } from 'mongoose';
import { PageModel } from '../../models/page';
import type { AuditTrail } from '../accounts/audit';
import type { Clock } from '../platform/clock';
import { erasePerson, exportPerson } from './personal-data';
import { Router } from 'express';
import { z } from 'zod';
import { memberOf, requireRole, requireSession } from '../accounts/authorization';
import type { Member } from '../accounts/authorization';
import { csvRow, drained } from '../compliance/csv';
import { objectIdString } from '../platform/ids';
import { isoInstant, type ApiOperation } from '../platform/openapi/api-operation';
import {
  createSubscriberDirectory,
  subscriberView,
  subscriberViewSchema,
  type SubscriberDirectory,
} from './subscriber-directory';

const idParams = z.object({ id: objectIdString });
/** A tag as segments match it: the same limits as a broadcast's audience filter. */
const tag = z.string().trim().min(1).max(100);
/** A field name becomes a document path (`customFields.<name>`): no dots, no `$`. */
const fieldName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/u, 'letters, digits, _ and - only');
const listQuery = z.strictObject({
  pageId: objectIdString.optional(),
  tag: tag.optional(),
  cursor: objectIdString.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const exportQuery = z.strictObject({ pageId: objectIdString.optional(), tag: tag.optional() });
const csvColumns = [
  'id',
  'page',
  'psid',
  'first name',
  'last name',
  'status',
  'source',
  'opted in at',
  'unsubscribed at',
  'unsubscribe reason',
  'tags',
  'fields',
];
/** Subscribers read per query while the CSV streams. */
const exportPageSize = 500;

const tagsBody = z.strictObject({ tags: z.array(tag).max(50) });
const customFieldsBody = z.strictObject({
  customFields: z
    .record(fieldName, z.string().max(1000).nullable())
    .refine((fields) => Object.keys(fields).length >= 1, 'name at least one field')
    .refine((fields) => Object.keys(fields).length <= 50, 'at most 50 fields at once'),
});

/** /api/subscribers: the people of the Pages a member may see, and the tags and fields segments select on. */
export function createSubscribersRouter(
  directory: SubscriberDirectory,
  rights: Parameters<typeof erasePerson>[0],
): Router {
  const router = Router();
  router.use(requireSession);
  const id = (params: unknown) => idParams.parse(params).id;

  router.get('/', async (req, res) => {
    const { subscribers, nextCursor } = await directory.list(memberOf(req), listQuery.parse(req.query));
    res.json({ data: subscribers.map(subscriberView), nextCursor });
  });
  // Every visible subscriber's consent and segment data: bulk personal data, so admins only.
  router.get('/export.csv', requireRole('admin'), async (req, res) => {
    const query = exportQuery.parse(req.query);
    const member = memberOf(req);
    // The first page checks the query (a Page that is not theirs is a 404) before the answer starts.
    let page = await directory.list(member, { ...query, limit: exportPageSize });
    res.attachment(`pagewire-subscribers-${new Date().toISOString().slice(0, 10)}.csv`);
    res.type('text/csv; charset=utf-8');
    res.write(csvRow(csvColumns));
    for (;;) {
      for (const subscriber of page.subscribers) {
        const row = csvRow([
          String(subscriber._id),
          subscriber.fbPageId,
          subscriber.psid,
          subscriber.firstName,
          subscriber.lastName,
          subscriber.status,
          subscriber.optIn.source,
          subscriber.optIn.at.toISOString(),
          subscriber.unsubscribed?.at?.toISOString(),
          subscriber.unsubscribed?.reason,
          (subscriber.tags ?? []).join('; '),
          Object.keys(subscriber.customFields ?? {}).length > 0
            ? JSON.stringify(subscriber.customFields)
            : '',
        ]);
        if (!res.write(row) && !(await drained(res))) return;
      }
      if (!page.nextCursor) break;
      page = await directory.list(member, { ...query, cursor: page.nextCursor, limit: exportPageSize });
    }
    res.end();
  });
  // A person's data rights, for admins: all of it as JSON, or erased (server/subscribers/personal-data.ts).
  router.get('/:id/export', requireRole('admin'), async (req, res) => {
    const subscriber = await directory.get(memberOf(req), id(req.params));
    res.attachment(`subscriber-${String(subscriber._id)}.json`).json(await exportPerson(subscriber));
  });
  router.delete('/:id', requireRole('admin'), async (req, res) => {
    const member = memberOf(req);
    await erasePerson(rights, member, await directory.get(member, id(req.params)));
    res.status(204).end();
  });
  router.get('/:id', async (req, res) => {
    res.json({ subscriber: subscriberView(await directory.get(memberOf(req), id(req.params))) });
  });
  router.put('/:id/tags', async (req, res) => {
    const { tags } = tagsBody.parse(req.body);
    res.json({ subscriber: subscriberView(await directory.setTags(memberOf(req), id(req.params), tags)) });
  });
  router.patch('/:id/custom-fields', async (req, res) => {
    const { customFields } = customFieldsBody.parse(req.body);
    const updated = await directory.setCustomFields(memberOf(req), id(req.params), customFields);
    res.json({ subscriber: subscriberView(updated) });
  });
  return router;
}

/** The router as server.ts mounts it, scoped by the same visibility query as every other feature. */
export function subscribersRoute(
  visiblePageIds: (workspaceId: string, member: Member) => Promise<string[]>,
  rights: { audit: AuditTrail; clock: Clock },
) {
  const fbPageIdOf = async (pageId: Types.ObjectId) =>
    (await PageModel.findById(pageId).select({ fbPageId: 1 }).lean())?.fbPageId;
  return {
    path: '/api/subscribers',
    router: createSubscribersRouter(createSubscriberDirectory({ visiblePageIds }), { ...rights, fbPageIdOf }),
  };
}

const subscriberAnswer = z.object({ subscriber: subscriberViewSchema });
export const subscribersOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/subscribers/export.csv',
    summary:
      'The subscribers of the Pages the admin sees as CSV (status, source, tags, fields), by Page or tag.',
    tag: 'Subscribers',
    access: 'admin',
    query: exportQuery,
    responses: { 200: { description: 'RFC 4180 CSV, formulas disarmed.', contentType: 'text/csv' } },
  },
  {
    method: 'get',
    path: '/api/subscribers/:id/export',
    summary: "One person's data: record, profile, conversations, messages and consent history.",
    tag: 'Subscribers',
    access: 'admin',
    params: idParams,
    responses: {
      200: {
        description: 'Everything Pagewire holds about the person on that Page.',
        schema: z.object({
          subscriber: z.looseObject({ id: z.string(), psid: z.string() }),
          conversations: z.array(z.looseObject({ id: z.string() })),
          messages: z.array(z.looseObject({ id: z.string(), conversation: z.string() })),
          consentHistory: z.array(z.object({ at: isoInstant, action: z.string(), basis: z.string() })),
        }),
      },
    },
  },
  {
    method: 'delete',
    path: '/api/subscribers/:id',
    summary: 'Erase a person: messages, conversations and record gone, a suppression entry kept.',
    tag: 'Subscribers',
    access: 'admin',
    params: idParams,
    responses: { 204: { description: 'Erased.' } },
  },
  {
    method: 'get',
    path: '/api/subscribers',
    summary: 'The people of the Pages the member sees, filtered by Page or tag.',
    tag: 'Subscribers',
    access: 'member',
    query: listQuery,
    responses: {
      200: {
        description: 'A page of subscribers.',
        schema: z.object({ data: z.array(subscriberViewSchema), nextCursor: z.string().nullable() }),
      },
    },
  },
  {
    method: 'get',
    path: '/api/subscribers/:id',
    summary: 'One subscriber.',
    tag: 'Subscribers',
    access: 'member',
    params: idParams,
    responses: { 200: { description: 'The subscriber.', schema: subscriberAnswer } },
  },
  {
    method: 'put',
    path: '/api/subscribers/:id/tags',
    summary: 'Replace a subscriber’s tags.',
    tag: 'Subscribers',
    access: 'member',
    params: idParams,
    body: tagsBody,
    responses: { 200: { description: 'The subscriber.', schema: subscriberAnswer } },
  },
  {
    method: 'patch',
    path: '/api/subscribers/:id/custom-fields',
    summary: 'Set or clear (null) custom fields.',
    tag: 'Subscribers',
    access: 'member',
    params: idParams,
    body: customFieldsBody,
    responses: { 200: { description: 'The subscriber.', schema: subscriberAnswer } },
  },
];
