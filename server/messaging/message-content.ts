import { z } from 'zod';
import type { Button, OutgoingMessage } from '../facebook/graph-types';

/**
 * What the product sends, as live chat, bots, captures and broadcasts compose it: the schemas that check it at the
 * API edge against the Send API's limits, and its conversion to the Send API `message`. Content Meta would refuse
 * is refused when it is written, with the field and the limit named, so Meta never has to refuse it at send time.
 */

/**
 * Meta counts characters as Unicode code points, not UTF-16 units: "👟" is one character of a 20-character title
 * (as the simulator counts them too). Counted here rather than by zod's `max`, whose measure of a string is zod's.
 */
/** Characters as Meta counts them: code points, so an emoji is one. */
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

/** The Send API's limits (docs/messenger-platform.md §2), in characters as Meta counts them. */
const limits = {
  /** "< 2000". */
  text: 1999,
  buttonTemplateText: 640,
  buttons: 3,
  /** Button title and payload limits are UNCONFIRMED; these are the simulator's defaults. */
  buttonTitle: 20,
  payload: 1000,
  quickReplies: 13,
  quickReplyTitle: 20,
  cards: 10,
  cardTitle: 80,
  cardSubtitle: 80,
} as const;

const atMost = (max: number, what: string) => `At most ${max} ${what} (Facebook refuses more).`;

const webUrl = z.url({ protocol: /^https?$/ });
const messageText = z.string().trim().pipe(characters(limits.text, 'The text'));
const buttonTemplateWhat = 'The text of a message with buttons';
const buttonTemplateText = z.string().trim().pipe(characters(limits.buttonTemplateText, buttonTemplateWhat));
const payload = characters(limits.payload, 'A payload');
const buttonTitle = characters(limits.buttonTitle, 'A button title');
const buttonSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('postback'), title: buttonTitle, payload }),
  z.strictObject({ type: z.literal('web_url'), title: buttonTitle, url: webUrl }),
]);
const buttonList = z.array(buttonSchema).max(limits.buttons, atMost(limits.buttons, 'buttons'));
const quickReplySchema = z.strictObject({
  title: characters(limits.quickReplyTitle, 'A quick reply title'),
  payload,
});
const quickReplyList = z
  .array(quickReplySchema)
  .max(limits.quickReplies, atMost(limits.quickReplies, 'quick replies'));
const cardSchema = z.strictObject({
  title: characters(limits.cardTitle, 'A card title'),
  subtitle: characters(limits.cardSubtitle, 'A card subtitle').optional(),
  imageUrl: webUrl.optional(),
  buttons: buttonList.optional(),
});

/** A message as the broadcast composer builds it, and what every other shape below becomes before it is sent. */
export const messageContentSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: messageText, quickReplies: quickReplyList.optional() }),
  z.strictObject({
    type: z.literal('buttons'),
    text: buttonTemplateText,
    buttons: buttonList.min(1),
    quickReplies: quickReplyList.optional(),
  }),
  z.strictObject({ type: z.literal('image'), url: webUrl, quickReplies: quickReplyList.optional() }),
  z.strictObject({
    type: z.literal('cards'),
    cards: z.array(cardSchema).min(1).max(limits.cards, atMost(limits.cards, 'cards')),
    quickReplies: quickReplyList.optional(),
  }),
]);
export type MessageContent = z.infer<typeof messageContentSchema>;

/** One limit of a piece of content as Meta counts it: characters of a text, or items of a list. */
export interface ContentCount {
  /** The field, as a 400's `issues` name it (`cards.0.buttons.1.title`). */
  path: string;
  count: number;
  limit: number;
  unit: 'characters' | 'items';
}

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null;

/**
 * Every limit of `raw` (a message content as the composer has it so far, valid or not) counted as Meta counts it,
 * for a composer's live counters. Texts are counted as they would be sent (trimmed where the schema trims).
 */
export function countContent(raw: unknown): ContentCount[] {
  const counts: ContentCount[] = [];
  if (!isObject(raw)) return counts;
  const text = (path: string, value: unknown, limit: number, trim = false) => {
    if (typeof value === 'string')
      counts.push({ path, count: characterCount(trim ? value.trim() : value), limit, unit: 'characters' });
  };
  const list = (path: string, value: unknown, limit: number, each: (item: Loose, at: string) => void) => {
    if (!Array.isArray(value)) return;
    counts.push({ path, count: value.length, limit, unit: 'items' });
    value.forEach((item, i) => isObject(item) && each(item, `${path}.${i}`));
  };
  const buttons = (path: string, value: unknown) =>
    list(path, value, limits.buttons, (button, at) => {
      text(`${at}.title`, button.title, limits.buttonTitle);
      text(`${at}.payload`, button.payload, limits.payload);
    });
  if (raw.type === 'text') text('text', raw.text, limits.text, true);
  if (raw.type === 'buttons') {
    text('text', raw.text, limits.buttonTemplateText, true);
    buttons('buttons', raw.buttons);
  }
  if (raw.type === 'cards')
    list('cards', raw.cards, limits.cards, (card, at) => {
      text(`${at}.title`, card.title, limits.cardTitle);
      text(`${at}.subtitle`, card.subtitle, limits.cardSubtitle);
      buttons(`${at}.buttons`, card.buttons);
    });
  list('quickReplies', raw.quickReplies, limits.quickReplies, (reply, at) => {
    text(`${at}.title`, reply.title, limits.quickReplyTitle);
    text(`${at}.payload`, reply.payload, limits.payload);
  });
  return counts;
}

/**
 * What the composer shows as it is typed: each limit counted, and what would be refused, with the same words and
 * paths as a 400 from saving it.
 */
const checkIssues = z.array(z.object({ path: z.string(), message: z.string() }));

/** What `checkContent` answers, for the OpenAPI document. */
export const contentCheckAnswer = z.object({
  counts: z.array(
    z.object({
      path: z.string(),
      count: z.number().int(),
      limit: z.number().int(),
      unit: z.enum(['characters', 'items']),
    }),
  ),
  issues: checkIssues,
});

export function checkContent(raw: unknown) {
  const parsed = messageContentSchema.safeParse(raw);
  return {
    counts: countContent(raw),
    issues: parsed.success
      ? []
      : parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  };
}

/** What an agent may send from the inbox. */
export const agentContentSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: messageText }),
  z.strictObject({
    type: z.literal('quick_replies'),
    text: messageText,
    quickReplies: quickReplyList.min(1),
  }),
  z.strictObject({ type: z.literal('image'), url: webUrl }),
]);
export type AgentContent = z.infer<typeof agentContentSchema>;

/** A bot block's or a capture's reply, as stored: text, with buttons (a button template) and quick replies. */
export const automatedContentSchema = z
  .strictObject({
    text: messageText,
    buttons: buttonList.default([]),
    quickReplies: quickReplyList.default([]),
  })
  .refine(
    (content) => content.buttons.length === 0 || characterCount(content.text) <= limits.buttonTemplateText,
    {
      message: `${buttonTemplateWhat} holds at most ${limits.buttonTemplateText} characters (Facebook refuses longer ones).`,
      path: ['text'],
    },
  );
export type AutomatedContent = z.infer<typeof automatedContentSchema>;

/** A limited field of content being typed: its length or number as Meta counts it, and the most Meta takes. */
/** What `checkAutomatedContent` answers, for the OpenAPI document. */
export const automatedContentCheckAnswer = z.object({
  counts: z.array(z.object({ path: z.string(), count: z.number().int(), max: z.number().int() })),
  issues: checkIssues,
});

export interface FieldCount {
  path: string;
  count: number;
  max: number;
}

/** A bot block's or capture reply's content while it is typed: loose enough to measure before it is valid. */
export const automatedContentDraft = z.looseObject({
  text: z.string().max(20_000).default(''),
  buttons: z
    .array(z.looseObject({ title: z.string().max(2_000).default('') }))
    .max(50)
    .default([]),
  quickReplies: z
    .array(z.looseObject({ title: z.string().max(2_000).default('') }))
    .max(50)
    .default([]),
});

/**
 * The draft against every limit `automatedContentSchema` holds it to, counted as Meta counts, and what saving it
 * would refuse: the forms show both as you type.
 */
export function checkAutomatedContent(draft: z.infer<typeof automatedContentDraft>): {
  counts: FieldCount[];
  issues: { path: string; message: string }[];
} {
  const parsed = automatedContentSchema.safeParse(draft);
  const issues = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  return { counts: measureAutomatedContent(draft), issues };
}

function measureAutomatedContent(draft: z.infer<typeof automatedContentDraft>): FieldCount[] {
  const textMax = draft.buttons.length > 0 ? limits.buttonTemplateText : limits.text;
  return [
    { path: 'text', count: characterCount(draft.text.trim()), max: textMax },
    { path: 'buttons', count: draft.buttons.length, max: limits.buttons },
    ...draft.buttons.map((button, index) => ({
      path: `buttons.${index}.title`,
      count: characterCount(button.title),
      max: limits.buttonTitle,
    })),
    { path: 'quickReplies', count: draft.quickReplies.length, max: limits.quickReplies },
    ...draft.quickReplies.map((reply, index) => ({
      path: `quickReplies.${index}.title`,
      count: characterCount(reply.title),
      max: limits.quickReplyTitle,
    })),
  ];
}

export function fromAgentContent(content: AgentContent): MessageContent {
  return content.type === 'quick_replies' ? { ...content, type: 'text' } : content;
}

/** Stored content comes back from mongoose with optional fields as null. */
export function fromAutomatedContent(content: {
  text: string;
  buttons?: { type: 'postback' | 'web_url'; title: string; payload?: string | null; url?: string | null }[];
  quickReplies?: { title: string; payload: string }[];
}): MessageContent {
  const quickReplies = content.quickReplies?.length
    ? { quickReplies: content.quickReplies.map(({ title, payload }) => ({ title, payload })) }
    : {};
  const buttons = content.buttons ?? [];
  if (buttons.length === 0) return { type: 'text', text: content.text, ...quickReplies };
  return {
    type: 'buttons',
    text: content.text,
    buttons: buttons.map((button) =>
      button.type === 'web_url'
        ? { type: 'web_url', title: button.title, url: button.url ?? '' }
        : { type: 'postback', title: button.title, payload: button.payload ?? '' },
    ),
    ...quickReplies,
  };
}

/**
 * Only text alone may carry the HUMAN_AGENT tag: the tag is for a human's own words (Meta policy), and quick replies,
 * buttons and images are the product's.
 */
export const isPlainText = (content: MessageContent) =>
  content.type === 'text' && !content.quickReplies?.length;

/** Every web URL of the content's buttons, in order and once each, for tracked links. */
export function urlsIn(content: MessageContent): string[] {
  const buttons =
    content.type === 'buttons'
      ? content.buttons
      : content.type === 'cards'
        ? content.cards.flatMap((card) => card.buttons ?? [])
        : [];
  return [...new Set(buttons.flatMap((button) => (button.type === 'web_url' ? [button.url] : [])))];
}

export interface SendOptions {
  /** Comes back in the echo webhook. */
  metadata?: string;
  /** Turns a button's web URL into this recipient's tracked link. */
  trackedUrl?: (url: string) => string;
}

/** The Send API `message` for the content. */
export function toOutgoingMessage(content: MessageContent, options: SendOptions = {}): OutgoingMessage {
  const { metadata, trackedUrl = (url: string) => url } = options;
  const button = (b: Button): Button => (b.type === 'web_url' ? { ...b, url: trackedUrl(b.url) } : b);
  const extras = {
    ...(content.quickReplies?.length
      ? { quick_replies: content.quickReplies.map((reply) => ({ content_type: 'text' as const, ...reply })) }
      : {}),
    ...(metadata !== undefined ? { metadata } : {}),
  };
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
