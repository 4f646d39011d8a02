import { z } from 'zod';
import { defaultSensitiveWords } from '../../models/capture';
import { automatedContentSchema, characters } from '../../server/messaging/message-content';
import { objectIdString } from '../../server/platform/ids';
import { keywordList } from '../input-fields';

const target = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('new_post'),
    post: z.strictObject({
      message: z.string().trim().min(1).max(5000),
      link: z.url({ protocol: /^https?$/ }).optional(),
    }),
  }),
  z.strictObject({ kind: z.literal('existing_post'), postId: z.string().regex(/^\d+_\d+$/, 'a post id') }),
  z.strictObject({ kind: z.literal('any_post') }),
]);

const rules = {
  name: z.string().trim().min(1).max(200),
  includeKeywords: keywordList,
  excludeKeywords: keywordList,
  privateReply: automatedContentSchema,
  publicReplies: z.array(z.string().trim().pipe(characters(2000, 'A public reply'))).max(20),
  followUp: automatedContentSchema.nullable(),
  onePerPersonPerPost: z.boolean(),
  /** null: Pagewire's list, so an edit can go back to it as a new capture starts with it. */
  sensitiveWords: keywordList.nullable().transform((words) => words ?? [...defaultSensitiveWords]),
  active: z.boolean(),
};

export const newCaptureInput = z.strictObject({
  page: objectIdString,
  target,
  name: rules.name,
  privateReply: rules.privateReply,
  includeKeywords: rules.includeKeywords.default([]),
  excludeKeywords: rules.excludeKeywords.default([]),
  publicReplies: rules.publicReplies.default([]),
  followUp: rules.followUp.default(null),
  onePerPersonPerPost: rules.onePerPersonPerPost.default(true),
  sensitiveWords: rules.sensitiveWords.optional(),
  active: rules.active.default(true),
});
export type NewCaptureInput = z.infer<typeof newCaptureInput>;

export const outcomePage = z.strictObject({
  cursor: objectIdString.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The target is fixed once created (a published post cannot be re-aimed); everything else may change. */
export const captureChanges = z.strictObject(rules).partial();
export type CaptureChanges = z.infer<typeof captureChanges>;
