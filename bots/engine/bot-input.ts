import { z } from 'zod';
import { botRuleKinds, keywordModes } from '../../models/bot-rule';
import { automatedContentDraft, automatedContentSchema } from '../../server/messaging/message-content';
import { objectIdString } from '../../server/platform/ids';
import { keywordList } from '../input-fields';

export const newBlockInput = z.strictObject({
  page: objectIdString,
  name: z.string().trim().min(1).max(200),
  content: automatedContentSchema,
});
export const blockChanges = newBlockInput.omit({ page: true }).partial();

const ruleFields = {
  kind: z.enum(botRuleKinds),
  keywordMode: z.enum(keywordModes).default('contains'),
  keywords: keywordList.default([]),
  payloads: z.array(z.string().min(1).max(1000)).max(50).default([]),
  priority: z.number().int().min(0).max(10_000).default(100),
  block: objectIdString.nullable().default(null),
  active: z.boolean().default(true),
};

type RuleShape = {
  kind: (typeof botRuleKinds)[number];
  block?: unknown;
  keywords: string[];
  payloads: string[];
};

/** What a rule lacks to answer anything, new or changed alike; null when it is complete. */
export function missingFromRule(rule: RuleShape): string | null {
  if (rule.kind !== 'talk_to_human' && (rule.block ?? null) === null)
    return 'Every rule but "talk to a human" answers with a block.';
  if (rule.kind === 'keyword' && rule.keywords.length === 0)
    return 'A keyword rule needs at least one keyword.';
  if (rule.kind === 'payload' && rule.payloads.length === 0)
    return 'A payload rule needs at least one payload.';
  return null;
}

export const newRuleInput = z
  .strictObject({ page: objectIdString, ...ruleFields })
  .superRefine((rule, context) => {
    const missing = missingFromRule(rule);
    if (missing) context.addIssue({ code: 'custom', message: missing });
  });
export type NewRuleInput = z.infer<typeof newRuleInput>;

export const ruleChanges = z
  .strictObject({
    keywordMode: z.enum(keywordModes),
    keywords: keywordList,
    payloads: z.array(z.string().min(1).max(1000)).max(50),
    priority: z.number().int().min(0).max(10_000),
    block: objectIdString.nullable(),
    active: z.boolean(),
  })
  .partial();

export const ruleOrder = z.strictObject({
  page: objectIdString,
  ruleIds: z
    .array(objectIdString)
    .max(1000)
    .refine((ids) => new Set(ids).size === ids.length, 'Each rule appears once.'),
});
export type RuleOrder = z.infer<typeof ruleOrder>;

/** Content being typed in a block or capture form, to measure against Meta's limits before it is saved. */
export const contentCheck = z.strictObject({ content: automatedContentDraft });
