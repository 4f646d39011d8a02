import { z } from 'zod';
import { broadcastPurposes, broadcastStates } from '../../models/broadcast';
import { isoInstant } from '../platform/openapi/api-operation';

/** What the broadcasts routes answer, for the OpenAPI document and the tests that hold the answers to it. */

export const broadcastTotals = z.object({
  recipients: z.number().int(),
  pending: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  read: z.number().int(),
  clicked: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  unknown: z.number().int(),
  clicks: z.number().int(),
});

/** The stored broadcast, ids as strings; fields the document does not name may appear. */
export const broadcastAnswer = z.looseObject({
  _id: z.string(),
  name: z.string(),
  pages: z.array(z.string()),
  content: z.record(z.string(), z.unknown()).optional(),
  audience: z.record(z.string(), z.unknown()),
  purpose: z.enum(broadcastPurposes),
  schedule: z.looseObject({ kind: z.enum(['now', 'at']) }),
  state: z.enum(broadcastStates),
  stateReason: z.string().optional(),
  startedAt: isoInstant.optional(),
  finishedAt: isoInstant.optional(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});

export const broadcastWithTotals = broadcastAnswer.extend({
  totals: broadcastTotals,
  totalsByPage: z.record(z.string(), broadcastTotals),
});

export const broadcastList = z.object({
  data: z.array(
    broadcastAnswer.extend({ totals: broadcastTotals.optional(), sparkline: z.array(z.number()) }),
  ),
  nextCursor: z.string().nullable(),
});

const excluded = z.object({
  filteredOut: z.number().int(),
  unsubscribed: z.number().int(),
  blocked: z.number().int(),
  outsideWindow: z.number().int(),
  pageNeedsReauth: z.number().int(),
});
export const estimateAnswer = z.object({
  eligible: z.number().int(),
  excluded,
  byPage: z.array(z.object({ pageId: z.string(), eligible: z.number().int(), excluded })),
});

export const resultsAnswer = z.object({
  timeline: z.object({
    bucketSeconds: z.number(),
    buckets: z.array(
      z.object({
        at: isoInstant,
        sent: z.number().int(),
        delivered: z.number().int(),
        read: z.number().int(),
        clicked: z.number().int(),
      }),
    ),
  }),
  failures: z.array(
    z.object({
      status: z.enum(['skipped', 'failed', 'unknown']),
      code: z.string().nullable(),
      reason: z.string().nullable(),
      count: z.number().int(),
    }),
  ),
});

export const recipientsAnswer = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      pageId: z.string(),
      subscriberId: z.string(),
      psid: z.string(),
      name: z.string().nullable(),
      status: z.string(),
      code: z.string().nullable(),
      reason: z.string().nullable(),
      sentAt: isoInstant.nullable(),
      deliveredAt: isoInstant.nullable(),
      readAt: isoInstant.nullable(),
      clickedAt: isoInstant.nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const audienceOptionsAnswer = z.object({
  tags: z.array(z.string()),
  optInSources: z.array(z.string()),
});
