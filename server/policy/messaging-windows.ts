/**
 * Meta's clocks for one person on one Page (Messenger Platform policy):
 * - the standard 24-hour window opens or refreshes when the person messages, taps a postback, Get Started, a menu
 *   item or a quick reply, opens an m.me link with a ref on an existing thread, or reacts; never by a comment, a
 *   private reply, or a marketing opt-in;
 * - the HUMAN_AGENT tag lets a human reply up to 7 days after the person's last message.
 */
export const STANDARD_WINDOW_MS = 24 * 60 * 60 * 1000;
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** A private reply must go within 7 days of the comment. */
export const PRIVATE_REPLY_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export const windowOpeningInteractions = [
  'message',
  'postback',
  'quick_reply',
  'referral',
  'reaction',
  'get_started',
] as const;
export type WindowOpeningInteraction = (typeof windowOpeningInteractions)[number];

export interface MessagingWindows {
  standardClosesAt: Date | null;
  humanAgentClosesAt: Date | null;
}

export function windowsFor(lastInteractionAt: Date | null, lastUserMessageAt: Date | null): MessagingWindows {
  return {
    standardClosesAt: lastInteractionAt ? new Date(lastInteractionAt.getTime() + STANDARD_WINDOW_MS) : null,
    humanAgentClosesAt: lastUserMessageAt
      ? new Date(lastUserMessageAt.getTime() + HUMAN_AGENT_WINDOW_MS)
      : null,
  };
}

export function isWithinWindow(closesAt: Date | null, now: Date): boolean {
  return closesAt !== null && now.getTime() < closesAt.getTime();
}
