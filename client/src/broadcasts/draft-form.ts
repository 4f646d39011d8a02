import type { Audience, Broadcast, BroadcastPurpose, Draft, MessageContent } from '../api/broadcasts';
import type { Button } from '../api/types';

/**
 * The composer's form: every field a person edits, whatever the message kind, so switching kinds keeps what was
 * typed. `toDraft` turns it into what the API takes, keeping list positions, so the server's issue paths
 * (`cards.0.buttons.1.title`) point at the form's fields.
 */
export type ContentKind = MessageContent['type'];

export interface ButtonForm {
  type: Button['type'];
  title: string;
  url: string;
}
export interface CardForm {
  title: string;
  subtitle: string;
  imageUrl: string;
  buttons: ButtonForm[];
}

export interface DraftForm {
  name: string;
  pages: string[];
  kind: ContentKind;
  text: string;
  imageUrl: string;
  buttons: ButtonForm[];
  cards: CardForm[];
  quickReplies: string[];
  purpose: BroadcastPurpose;
  tags: string[];
  customFields: { name: string; value: string }[];
  optInSources: string[];
  /** `YYYY-MM-DD` in the browser's time zone, or empty. */
  interactedAfter: string;
  interactedBefore: string;
}

export const emptyCard = (): CardForm => ({ title: '', subtitle: '', imageUrl: '', buttons: [] });
export const emptyButton = (): ButtonForm => ({ type: 'web_url', title: '', url: '' });

export function emptyForm(pages: string[]): DraftForm {
  return {
    name: '',
    pages,
    kind: 'text',
    text: '',
    imageUrl: '',
    buttons: [emptyButton()],
    cards: [emptyCard()],
    quickReplies: [],
    purpose: 'promotional',
    tags: [],
    customFields: [],
    optInSources: [],
    interactedAfter: '',
    interactedBefore: '',
  };
}

/** A reply button's and a quick reply's payload, from its title: what a bot rule matches on. */
const payloadOf = (title: string) =>
  title.trim().toUpperCase().replace(/\s+/gu, '_').slice(0, 200) || 'REPLY';

function toButton(button: ButtonForm): Button {
  return button.type === 'web_url'
    ? { type: 'web_url', title: button.title, url: button.url }
    : { type: 'postback', title: button.title, payload: payloadOf(button.title) };
}

export function toContent(form: DraftForm): MessageContent {
  const quickReplies = form.quickReplies.length
    ? { quickReplies: form.quickReplies.map((title) => ({ title, payload: payloadOf(title) })) }
    : {};
  switch (form.kind) {
    case 'text':
      return { type: 'text', text: form.text, ...quickReplies };
    case 'buttons':
      return { type: 'buttons', text: form.text, buttons: form.buttons.map(toButton), ...quickReplies };
    case 'image':
      return { type: 'image', url: form.imageUrl, ...quickReplies };
    case 'cards':
      return {
        type: 'cards',
        cards: form.cards.map((card) => ({
          title: card.title,
          ...(card.subtitle ? { subtitle: card.subtitle } : {}),
          ...(card.imageUrl ? { imageUrl: card.imageUrl } : {}),
          ...(card.buttons.length ? { buttons: card.buttons.map(toButton) } : {}),
        })),
        ...quickReplies,
      };
  }
}

const startOfDay = (day: string) => new Date(`${day}T00:00:00`).toISOString();
const endOfDay = (day: string) => new Date(`${day}T23:59:59.999`).toISOString();
const dayOf = (iso: string) => {
  const at = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
};

export function toAudience(form: DraftForm): Audience {
  const fields = form.customFields.filter((field) => field.name.trim());
  return {
    ...(form.tags.length ? { tags: form.tags } : {}),
    ...(fields.length
      ? { customFields: Object.fromEntries(fields.map((field) => [field.name.trim(), field.value])) }
      : {}),
    ...(form.optInSources.length ? { optInSources: form.optInSources } : {}),
    ...(form.interactedAfter ? { lastInteractionAfter: startOfDay(form.interactedAfter) } : {}),
    ...(form.interactedBefore ? { lastInteractionBefore: endOfDay(form.interactedBefore) } : {}),
  };
}

export function toDraft(form: DraftForm): Draft {
  return {
    name: form.name,
    pages: form.pages,
    content: toContent(form),
    audience: toAudience(form),
    purpose: form.purpose,
  };
}

function fromButton(button: Button): ButtonForm {
  return { type: button.type, title: button.title, url: button.url ?? '' };
}

/** A stored draft back in the form, to edit it. */
export function fromBroadcast(broadcast: Broadcast): DraftForm {
  const content = broadcast.content;
  const form = emptyForm(broadcast.pages);
  const { audience } = broadcast;
  return {
    ...form,
    name: broadcast.name,
    purpose: broadcast.purpose,
    kind: content.type,
    text: content.type === 'text' || content.type === 'buttons' ? content.text : '',
    imageUrl: content.type === 'image' ? content.url : '',
    buttons: content.type === 'buttons' ? content.buttons.map(fromButton) : form.buttons,
    cards:
      content.type === 'cards'
        ? content.cards.map((card) => ({
            title: card.title,
            subtitle: card.subtitle ?? '',
            imageUrl: card.imageUrl ?? '',
            buttons: (card.buttons ?? []).map(fromButton),
          }))
        : form.cards,
    quickReplies: (content.quickReplies ?? []).map((reply) => reply.title),
    tags: audience.tags ?? [],
    customFields: Object.entries(audience.customFields ?? {}).map(([name, value]) => ({ name, value })),
    optInSources: audience.optInSources ?? [],
    interactedAfter: audience.lastInteractionAfter ? dayOf(audience.lastInteractionAfter) : '',
    interactedBefore: audience.lastInteractionBefore ? dayOf(audience.lastInteractionBefore) : '',
  };
}
