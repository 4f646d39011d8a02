import type { SimContext } from '../context';
import { newMid } from '../ids';
import { PAGE_INBOX_APP_ID } from '../settings';
import { echoMessage, fromPage } from '../webhook-sender/events';
import { existingThread, pageOf, threadOf } from './lookup';

/** An agent answers from the Page Inbox: the app sees only the echo, with the Page Inbox app id. */
export function pageInboxSends(ctx: SimContext, pageId: string, psid: string, text: string) {
  const thread = existingThread(ctx, pageId, psid);
  const mid = newMid();
  const time = ctx.clock.now();
  const message = { text };
  ctx.state.sentMessages.push({
    pageId,
    psid,
    recipient: { id: psid },
    messagingType: 'RESPONSE',
    tag: null,
    message,
    senderAction: null,
    mid,
    appId: PAGE_INBOX_APP_ID,
    time,
    receivedAt: Date.now(),
    responseDropped: false,
    body: { recipient: { id: psid }, message },
  });
  const echo = fromPage(thread, time, { message: echoMessage(PAGE_INBOX_APP_ID, mid, message) });
  ctx.webhooks.messaging(pageId, psid, 'message_echoes', echo);
  return { psid, mid, timestamp: time };
}

/** Blocking the Page makes sends fail with 551 until unblocked. */
export function personSetsBlocked(ctx: SimContext, personId: string, pageId: string, blocked: boolean) {
  const thread = threadOf(ctx, personId, pageId);
  thread.blocked = blocked;
  return { psid: thread.psid, blocked };
}

export function policyEnforcement(ctx: SimContext, pageId: string, action: string, reason: string) {
  pageOf(ctx, pageId);
  const timestamp = ctx.clock.now();
  ctx.webhooks.messaging(pageId, null, 'messaging_policy_enforcement', {
    recipient: { id: pageId },
    timestamp,
    policy_enforcement: { action, reason },
  });
  return { timestamp };
}
