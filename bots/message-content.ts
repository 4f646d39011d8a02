import type { OutgoingMessage } from '../server/facebook/graph-types';

/** A block's or capture's content as stored: text with buttons or quick replies. */
export interface ContentInput {
  text: string;
  buttons?: { type: 'postback' | 'web_url'; title: string; payload?: string | null; url?: string | null }[];
  quickReplies?: { title: string; payload: string }[];
}

/** The Send API message for stored content: buttons make a button template, quick replies ride along. */
export function toOutgoingMessage(content: ContentInput): OutgoingMessage {
  const quickReplies = (content.quickReplies ?? []).map((reply) => ({
    content_type: 'text' as const,
    title: reply.title,
    payload: reply.payload,
  }));
  const extra = quickReplies.length > 0 ? { quick_replies: quickReplies } : {};
  const buttons = content.buttons ?? [];
  if (buttons.length === 0) return { text: content.text, ...extra };
  return {
    attachment: {
      type: 'template',
      payload: {
        template_type: 'button',
        text: content.text,
        buttons: buttons.map((button) =>
          button.type === 'web_url'
            ? { type: 'web_url' as const, title: button.title, url: button.url ?? '' }
            : { type: 'postback' as const, title: button.title, payload: button.payload ?? '' },
        ),
      },
    },
    ...extra,
  };
}
