import { z } from 'zod';
import type { MessageKind } from '../../models/message';
import type { OutgoingMessage, TemplatePayload } from '../facebook/graph-types';

/** Send API limits (docs/messenger-platform.md §2): text < 2000 chars, ≤ 13 quick replies, title ≤ 20, payload ≤ 1000. */
const quickReplySchema = z.strictObject({
  title: z.string().min(1).max(20),
  payload: z.string().min(1).max(1000),
});

/** What an agent may send from the inbox, validated at the edge. */
export const agentContentSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: z.string().trim().min(1).max(1999) }),
  z.strictObject({
    type: z.literal('quick_replies'),
    text: z.string().trim().min(1).max(1999),
    quickReplies: z.array(quickReplySchema).min(1).max(13),
  }),
  z.strictObject({ type: z.literal('image'), url: z.url({ protocol: /^https?$/ }) }),
]);
export type AgentContent = z.infer<typeof agentContentSchema>;

/** Everything the product sends: the agent's kinds, a template, or a message bots and broadcasts built already. */
export type OutboundContent =
  | AgentContent
  | { type: 'template'; payload: TemplatePayload }
  | { type: 'message'; message: OutgoingMessage };

export function toOutgoingMessage(content: OutboundContent, metadata: string): OutgoingMessage {
  switch (content.type) {
    case 'text':
      return { text: content.text, metadata };
    case 'quick_replies':
      return {
        text: content.text,
        quick_replies: content.quickReplies.map((reply) => ({ content_type: 'text' as const, ...reply })),
        metadata,
      };
    case 'image':
      return { attachment: { type: 'image', payload: { url: content.url, is_reusable: true } }, metadata };
    case 'template':
      return { attachment: { type: 'template', payload: content.payload }, metadata };
    case 'message':
      return { ...content.message, metadata };
  }
}

/** Only plain typed text may carry the HUMAN_AGENT tag (Meta: the tag is for a human's own words). */
export const isPlainText = (content: OutboundContent) => content.type === 'text';

/** How the stored Message describes the content: kind, text and attachments for the thread and the inbox preview. */
export function describeContent(content: OutboundContent): {
  kind: MessageKind;
  text?: string;
  attachments?: { type: string; url?: string }[];
} {
  const message = toOutgoingMessage(content, '');
  if ('text' in message) return { kind: 'text', text: message.text };
  const { attachment } = message;
  if (attachment.type === 'template') {
    const text = 'text' in attachment.payload ? attachment.payload.text : undefined;
    return { kind: 'template', ...(text ? { text } : {}) };
  }
  const url = 'url' in attachment.payload ? attachment.payload.url : undefined;
  return { kind: 'attachments', attachments: [{ type: attachment.type, ...(url ? { url } : {}) }] };
}

/** The one-line preview of a message in the inbox list. */
export function previewOf(message: {
  kind: MessageKind;
  text?: string;
  attachments?: { type: string }[];
}): string {
  if (message.text) return message.text.slice(0, 120);
  if (message.attachments?.length) return `[${message.attachments.map((a) => a.type).join(', ')}]`;
  return `[${message.kind}]`;
}
