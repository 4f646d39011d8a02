import type { SimContext } from '../context';
import { ControlError } from '../control/errors';
import { newMid } from '../ids';
import { fromPerson } from '../webhook-sender/events';
import { openWindow, threadOf } from './lookup';

export interface PersonMessage {
  text?: string;
  quickReplyPayload?: string;
  attachments?: { type: string; payload: Record<string, unknown> | null; title?: string; url?: string }[];
  replyToMid?: string;
}

export interface ActionResult {
  psid: string;
  timestamp: number;
  mid?: string;
}

/** The person sends a message: text, a quick reply tap (text + payload) or attachments. */
export function personSendsMessage(
  ctx: SimContext,
  personId: string,
  pageId: string,
  input: PersonMessage,
): ActionResult {
  if (input.text === undefined && !input.attachments?.length) {
    throw new ControlError(400, 'a message needs text or attachments');
  }
  const thread = threadOf(ctx, personId, pageId);
  const timestamp = openWindow(ctx, thread, true);
  const mid = newMid();
  const message = {
    mid,
    ...(input.text !== undefined ? { text: input.text } : {}),
    ...(input.quickReplyPayload !== undefined ? { quick_reply: { payload: input.quickReplyPayload } } : {}),
    ...(input.attachments?.length ? { attachments: input.attachments } : {}),
    ...(input.replyToMid ? { reply_to: { mid: input.replyToMid, is_self_reply: false } } : {}),
  };
  ctx.webhooks.messaging(pageId, thread.psid, 'messages', fromPerson(thread, timestamp, { message }));
  return { psid: thread.psid, mid, timestamp };
}

export interface PostbackInput {
  title: string;
  payload: string;
  referral?: Record<string, unknown>;
}

/** A postback button, persistent-menu item or ice breaker; the first one after an m.me entry carries the referral. */
export function personTapsPostback(
  ctx: SimContext,
  personId: string,
  pageId: string,
  input: PostbackInput,
): ActionResult {
  const thread = threadOf(ctx, personId, pageId);
  // A postback opens the window but is not a message: HUMAN_AGENT's 7 days run from the person's last message.
  const timestamp = openWindow(ctx, thread, false);
  const referral = input.referral ?? thread.pendingReferral ?? undefined;
  thread.pendingReferral = null;
  const mid = newMid();
  const postback = { mid, title: input.title, payload: input.payload, ...(referral ? { referral } : {}) };
  ctx.webhooks.messaging(
    pageId,
    thread.psid,
    'messaging_postbacks',
    fromPerson(thread, timestamp, { postback }),
  );
  return { psid: thread.psid, mid, timestamp };
}

/** Get Started sends the payload configured in the Page's Messenger Profile. */
export function personTapsGetStarted(ctx: SimContext, personId: string, pageId: string): ActionResult {
  const getStarted = ctx.state.pages.get(pageId)?.messengerProfile.get_started as
    { payload?: string } | undefined;
  return personTapsPostback(ctx, personId, pageId, {
    title: 'Get Started',
    payload: getStarted?.payload ?? 'GET_STARTED',
  });
}

export interface ReactionInput {
  mid: string;
  reaction: string;
  emoji?: string;
  action: 'react' | 'unreact';
}

const EMOJI: Record<string, string> = {
  smile: '\u{1F606}',
  angry: '\u{1F620}',
  sad: '\u{1F622}',
  wow: '\u{1F62E}',
  love: '\u{2764}',
  like: '\u{1F44D}',
  dislike: '\u{1F44E}',
};

export function personReacts(
  ctx: SimContext,
  personId: string,
  pageId: string,
  input: ReactionInput,
): ActionResult {
  const thread = threadOf(ctx, personId, pageId);
  const timestamp = openWindow(ctx, thread, false);
  const reaction = {
    reaction: input.reaction,
    emoji: input.emoji ?? EMOJI[input.reaction] ?? '',
    action: input.action,
    mid: input.mid,
  };
  ctx.webhooks.messaging(
    pageId,
    thread.psid,
    'message_reactions',
    fromPerson(thread, timestamp, { reaction }),
  );
  return { psid: thread.psid, timestamp };
}

export interface ReferralInput {
  ref: string;
  source?: 'SHORTLINK' | 'ADS' | 'CUSTOMER_CHAT_PLUGIN';
  adId?: string;
}

/**
 * Opening an m.me link (or an ad): on an existing thread a messaging_referrals event; on a new thread nothing yet —
 * the referral arrives with the Get Started postback.
 */
export function personOpensLink(
  ctx: SimContext,
  personId: string,
  pageId: string,
  input: ReferralInput,
): ActionResult & { deferredToGetStarted: boolean } {
  const thread = threadOf(ctx, personId, pageId);
  const referral = {
    ref: input.ref,
    source: input.source ?? 'SHORTLINK',
    type: 'OPEN_THREAD',
    ...(input.adId ? { ad_id: input.adId } : {}),
  };
  if (!thread.userStarted) {
    thread.pendingReferral = referral;
    return { psid: thread.psid, timestamp: ctx.clock.now(), deferredToGetStarted: true };
  }
  const timestamp = openWindow(ctx, thread, false);
  ctx.webhooks.messaging(
    pageId,
    thread.psid,
    'messaging_referrals',
    fromPerson(thread, timestamp, { referral }),
  );
  return { psid: thread.psid, timestamp, deferredToGetStarted: false };
}
