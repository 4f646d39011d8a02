import { isWithinWindow, windowsFor } from './messaging-windows';

/**
 * "May we send this to this person now, and how?" — the one answer live chat, bots, captures and broadcasts all use.
 * Pure: callers pass what they know; the decision is either the Send API parameters or a refusal in plain words.
 */
export const nonPromotionalTags = [
  'CONFIRMED_EVENT_UPDATE',
  'POST_PURCHASE_UPDATE',
  'ACCOUNT_UPDATE',
] as const;
export type NonPromotionalTag = (typeof nonPromotionalTags)[number];

export type SendPurpose =
  /** Text a human agent typed. */
  | { kind: 'agent_reply'; humanTyped: boolean }
  /** The bot's answer to something the person just did. */
  | { kind: 'automated_reply' }
  /** A broadcast: promotional (window only) or a non-promotional tag for its declared purpose. */
  | { kind: 'broadcast'; tag: NonPromotionalTag | null }
  /** The confirmation of an opt-out, sent once. */
  | { kind: 'opt_out_acknowledgement' };

export interface Recipient {
  status: 'subscribed' | 'unsubscribed' | 'blocked';
  lastInteractionAt: Date | null;
  lastUserMessageAt: Date | null;
}

export interface PageState {
  automatedSendsPaused: boolean;
}

export const refusalCodes = [
  'blocked',
  'unsubscribed',
  'outside_window',
  'outside_human_agent_window',
  'human_agent_needs_human_text',
  'page_paused',
] as const;
export type RefusalCode = (typeof refusalCodes)[number];

export type SendDecision =
  | { allowed: true; messagingType: 'RESPONSE' | 'UPDATE' | 'MESSAGE_TAG'; tag?: string }
  | { allowed: false; code: RefusalCode; reason: string; closedAt?: Date };

const refuse = (code: RefusalCode, reason: string, closedAt?: Date): SendDecision => ({
  allowed: false,
  code,
  reason,
  ...(closedAt ? { closedAt } : {}),
});

const isAutomated = (purpose: SendPurpose) => purpose.kind !== 'agent_reply';

export function decideSend(
  purpose: SendPurpose,
  recipient: Recipient,
  page: PageState,
  now: Date,
): SendDecision {
  if (recipient.status === 'blocked') {
    return refuse('blocked', 'This person cannot be reached on Messenger (they blocked the Page or left).');
  }
  if (isAutomated(purpose) && page.automatedSendsPaused) {
    return refuse('page_paused', 'Automated messages are paused until a Page admin reconnects the Page.');
  }
  // Opt-outs are honoured at once for everything automated; the single acknowledgement is the one exception.
  if (
    recipient.status === 'unsubscribed' &&
    isAutomated(purpose) &&
    purpose.kind !== 'opt_out_acknowledgement'
  ) {
    return refuse('unsubscribed', 'This person unsubscribed from automated messages.');
  }
  const windows = windowsFor(recipient.lastInteractionAt, recipient.lastUserMessageAt);
  const inWindow = isWithinWindow(windows.standardClosesAt, now);

  switch (purpose.kind) {
    case 'agent_reply':
    case 'automated_reply':
    case 'opt_out_acknowledgement':
      if (inWindow) return { allowed: true, messagingType: 'RESPONSE' };
      break;
    case 'broadcast':
      if (inWindow) return { allowed: true, messagingType: 'UPDATE' };
      if (purpose.tag) return { allowed: true, messagingType: 'MESSAGE_TAG', tag: purpose.tag };
      return refuse(
        'outside_window',
        'Promotional messages may only reach people who interacted with the Page in the last 24 hours.',
        windows.standardClosesAt ?? undefined,
      );
  }

  if (purpose.kind === 'agent_reply') {
    if (!isWithinWindow(windows.humanAgentClosesAt, now)) {
      return refuse(
        'outside_human_agent_window',
        'More than 7 days have passed since this person last wrote; Facebook allows no reply until they write again.',
        windows.humanAgentClosesAt ?? undefined,
      );
    }
    // HUMAN_AGENT is for a person's own words only: never automation, never templates (Meta policy).
    if (!purpose.humanTyped) {
      return refuse(
        'human_agent_needs_human_text',
        'After 24 hours only text typed by an agent may be sent (with the human agent tag).',
        windows.standardClosesAt ?? undefined,
      );
    }
    return { allowed: true, messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
  }
  return refuse(
    'outside_window',
    'This person last interacted more than 24 hours ago; automated replies wait until they write again.',
    windows.standardClosesAt ?? undefined,
  );
}
