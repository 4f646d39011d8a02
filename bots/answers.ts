import { z } from 'zod';
import { botRuleKinds } from '../models/bot-rule';
import { isoInstant, listOf } from '../server/platform/openapi/api-operation';

/**
 * What the automation routes answer, for the OpenAPI document and the tests that hold the answers to it. Blocks,
 * rules and captures are the stored documents (ids as strings): the fields named here, and maybe others.
 */

export const blockAnswer = z.looseObject({
  _id: z.string(),
  page: z.string(),
  name: z.string(),
  content: z.looseObject({ text: z.string().optional() }),
});

export const ruleAnswer = z.looseObject({
  _id: z.string(),
  page: z.string(),
  kind: z.enum(botRuleKinds),
  priority: z.number().int(),
  active: z.boolean(),
  block: z.string().nullish(),
});

export const captureAnswer = z.looseObject({
  _id: z.string(),
  page: z.string(),
  name: z.string(),
  target: z.looseObject({ kind: z.string() }),
  counters: z.object({
    commentsSeen: z.number().int(),
    repliedPrivately: z.number().int(),
    repliedPublicly: z.number().int(),
    /** Comments skipped, by reason (`no_keyword_match`, …). */
    skipped: z.record(z.string(), z.number().int()),
  }),
});

export const outcomesAnswer = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      captureId: z.string(),
      commentId: z.string(),
      authorName: z.string().nullable(),
      text: z.string().nullable(),
      result: z.enum(['replied', 'skipped']),
      reason: z.string().nullable(),
      basis: z.string(),
      at: isoInstant,
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const postsAnswer = listOf(
  z.object({
    id: z.string(),
    message: z.string().nullable(),
    createdAt: z.string(),
    permalinkUrl: z.string().nullable(),
  }),
);

export const flowAnswer = z.object({
  blocks: z.array(z.object({ id: z.string(), name: z.string() })),
  entries: z.array(
    z.object({ ruleId: z.string(), kind: z.enum(botRuleKinds), blockId: z.string().nullable() }),
  ),
  links: z.array(
    z.looseObject({
      from: z.string(),
      via: z.enum(['quick_reply', 'button']),
      title: z.string(),
      payload: z.string(),
      ruleId: z.string().nullable(),
      to: z.string().nullable(),
      handsOver: z.boolean(),
    }),
  ),
});

export const profileAnswer = z.object({
  data: z.object({
    getStartedPayload: z.string().nullable(),
    greeting: z.string().nullable(),
    persistentMenu: z.array(z.looseObject({ type: z.string(), title: z.string() })),
    iceBreakers: z.array(z.looseObject({})),
  }),
  budget: z.object({
    limit: z.number().int(),
    windowMinutes: z.number(),
    remaining: z.number().int(),
    nextFreeAt: isoInstant.nullable(),
  }),
});
