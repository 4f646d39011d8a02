import { z } from 'zod';

/** Meta counts characters (code points), not UTF-16 units: "👟" is one character of a 20-character title. */
export const characterCount = (text: string) => [...text].length;

/** A non-empty string of at most `max` characters as Meta counts them, refused with a message naming the limit. */
export function characters(max: number, what: string) {
  return z
    .string()
    .min(1, `${what} must not be empty.`)
    .refine((text) => characterCount(text) <= max, {
      message: `${what} holds at most ${max} characters (Facebook refuses longer ones).`,
    });
}

/**
 * Send API limits (MESSENGER-PLATFORM.md §2), checked here so Meta never has to refuse a stored block or capture at
 * send time: text < 2000 (≤ 640 in a button template), ≤ 3 buttons with titles ≤ 20 characters, ≤ 13 quick replies
 * with titles ≤ 20 characters, payloads ≤ 1000.
 */
const buttonTitle = characters(20, 'A button title');
const payload = characters(1000, 'A payload');
const button = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('postback'), title: buttonTitle, payload }),
  z.strictObject({ type: z.literal('web_url'), title: buttonTitle, url: z.url({ protocol: /^https?$/ }) }),
]);
const quickReply = z.strictObject({ title: characters(20, 'A quick reply title'), payload });

export const messageContentInput = z
  .strictObject({
    text: z.string().trim().pipe(characters(1999, 'The text')),
    buttons: z.array(button).max(3).default([]),
    quickReplies: z.array(quickReply).max(13).default([]),
  })
  .refine((content) => content.buttons.length === 0 || characterCount(content.text) <= 640, {
    message: 'A message with buttons holds at most 640 characters of text.',
    path: ['text'],
  });
export type MessageContentInput = z.infer<typeof messageContentInput>;

const words = z.array(z.string().trim().min(1).max(100)).max(200);
export { words as keywordList };
