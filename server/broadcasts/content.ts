import { z } from 'zod';
import type { Button, OutgoingMessage, QuickReply } from '../facebook/graph-types';

/** Send API limits (docs/messenger-platform.md §2): text < 2000, button text ≤ 640, 1–3 buttons, ≤ 13 quick replies. */
const url = z.url({ protocol: /^https?$/ });
const buttonSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('web_url'), url, title: z.string().min(1).max(20) }),
  z.strictObject({
    type: z.literal('postback'),
    title: z.string().min(1).max(20),
    payload: z.string().min(1).max(1000),
  }),
]);
const quickReplySchema = z.strictObject({
  title: z.string().min(1).max(20),
  payload: z.string().min(1).max(1000),
});
const cardSchema = z.strictObject({
  title: z.string().min(1).max(80),
  subtitle: z.string().max(80).optional(),
  imageUrl: url.optional(),
  buttons: z.array(buttonSchema).max(3).optional(),
});

export const broadcastContentSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('text'), text: z.string().min(1).max(1999) }),
    z.strictObject({
      type: z.literal('buttons'),
      text: z.string().min(1).max(640),
      buttons: z.array(buttonSchema).min(1).max(3),
    }),
    z.strictObject({ type: z.literal('image'), url }),
    z.strictObject({ type: z.literal('cards'), cards: z.array(cardSchema).min(1).max(10) }),
  ])
  .and(z.object({ quickReplies: z.array(quickReplySchema).max(13).optional() }));

export type BroadcastContent = z.infer<typeof broadcastContentSchema>;

/** Every web URL of the content, in order, for tracked links. */
export function urlsIn(content: BroadcastContent): string[] {
  const buttons =
    content.type === 'buttons'
      ? content.buttons
      : content.type === 'cards'
        ? content.cards.flatMap((card) => card.buttons ?? [])
        : [];
  return [...new Set(buttons.flatMap((button) => (button.type === 'web_url' ? [button.url] : [])))];
}

/** The Send API message for one recipient; `trackedUrl` turns a web URL into that recipient's tracked link. */
export function toOutgoingMessage(
  content: BroadcastContent,
  trackedUrl: (url: string) => string,
): OutgoingMessage {
  const button = (b: z.infer<typeof buttonSchema>): Button =>
    b.type === 'web_url' ? { type: 'web_url', url: trackedUrl(b.url), title: b.title } : b;
  const quickReplies: QuickReply[] | undefined = content.quickReplies?.map((reply) => ({
    content_type: 'text',
    ...reply,
  }));
  const extras = quickReplies ? { quick_replies: quickReplies } : {};
  switch (content.type) {
    case 'text':
      return { text: content.text, ...extras };
    case 'image':
      return { attachment: { type: 'image', payload: { url: content.url, is_reusable: true } }, ...extras };
    case 'buttons':
      return {
        attachment: {
          type: 'template',
          payload: { template_type: 'button', text: content.text, buttons: content.buttons.map(button) },
        },
        ...extras,
      };
    case 'cards':
      return {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'generic',
            elements: content.cards.map((card) => ({
              title: card.title,
              ...(card.subtitle ? { subtitle: card.subtitle } : {}),
              ...(card.imageUrl ? { image_url: card.imageUrl } : {}),
              ...(card.buttons ? { buttons: card.buttons.map(button) } : {}),
            })),
          },
        },
        ...extras,
      };
  }
}
