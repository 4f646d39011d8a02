import { z } from 'zod';

const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'an id');
export { objectId };

/** Send API limits (MESSENGER-PLATFORM.md §2): text < 2000 (640 in a button template), ≤ 3 buttons, ≤ 13 quick replies. */
const button = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('postback'),
    title: z.string().min(1).max(20),
    payload: z.string().min(1).max(1000),
  }),
  z.strictObject({
    type: z.literal('web_url'),
    title: z.string().min(1).max(20),
    url: z.url({ protocol: /^https?$/ }),
  }),
]);
const quickReply = z.strictObject({ title: z.string().min(1).max(20), payload: z.string().min(1).max(1000) });

export const messageContentInput = z
  .strictObject({
    text: z.string().trim().min(1).max(1999),
    buttons: z.array(button).max(3).default([]),
    quickReplies: z.array(quickReply).max(13).default([]),
  })
  .refine((content) => content.buttons.length === 0 || content.text.length <= 640, {
    message: 'A message with buttons holds at most 640 characters of text.',
  });
export type MessageContentInput = z.infer<typeof messageContentInput>;

const words = z.array(z.string().trim().min(1).max(100)).max(200);
export { words as keywordList };
