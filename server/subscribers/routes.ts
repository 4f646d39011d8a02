import { Router } from 'express';
import { z } from 'zod';
import { memberOf, requireSession } from '../accounts/authorization';
import type { Member } from '../accounts/authorization';
import { objectIdString } from '../platform/ids';
import type { ApiOperation } from '../platform/openapi/api-operation';
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
const tagsBody = z.strictObject({ tags: z.array(tag).max(50) });
const customFieldsBody = z.strictObject({
  customFields: z
    .record(fieldName, z.string().max(1000).nullable())
    .refine((fields) => Object.keys(fields).length >= 1, 'name at least one field')
    .refine((fields) => Object.keys(fields).length <= 50, 'at most 50 fields at once'),
});

/** /api/subscribers: the people of the Pages a member may see, and the tags and fields segments select on. */
export function createSubscribersRouter(directory: SubscriberDirectory): Router {
  const router = Router();
  router.use(requireSession);
  const id = (params: unknown) => idParams.parse(params).id;

  router.get('/', async (req, res) => {
    const { subscribers, nextCursor } = await directory.list(memberOf(req), listQuery.parse(req.query));
    res.json({ data: subscribers.map(subscriberView), nextCursor });
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
export function subscribersRoute(visiblePageIds: (workspaceId: string, member: Member) => Promise<string[]>) {
  return {
    path: '/api/subscribers',
    router: createSubscribersRouter(createSubscriberDirectory({ visiblePageIds })),
  };
}

const subscriberAnswer = z.object({ subscriber: subscriberViewSchema });
export const subscribersOperations: ApiOperation[] = [
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
