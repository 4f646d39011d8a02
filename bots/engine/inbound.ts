import { isGetStarted } from '../../server/messaging/get-started';
import type { StoredPageEvent } from '../../webhooks/handler-registry';

/** What a person did, as the bot reads it. */
export interface Inbound {
  key: string;
  fbPageId: string;
  psid: string;
  at: Date;
  kind: 'get_started' | 'postback' | 'quick_reply' | 'message';
  text: string;
  payload: string | null;
}

type Loose = Record<string, unknown> | undefined;

/** undefined for what the bot never answers: standby events (another app owns the thread), echoes, others. */
export function readInbound(event: StoredPageEvent, getStartedPayload: string): Inbound | undefined {
  if (event.source !== 'messaging') return undefined;
  const item = event.payload;
  const psid = (item.sender as Loose)?.id;
  if (typeof psid !== 'string') return undefined;
  const base = { key: event.key, fbPageId: event.fbPageId, psid, at: event.occurredAt };
  if (event.kind === 'postback') {
    const postback = item.postback as Loose;
    const payload = typeof postback?.payload === 'string' ? postback.payload : '';
    const kind = isGetStarted(payload, getStartedPayload) ? 'get_started' : 'postback';
    return { ...base, kind, payload, text: typeof postback?.title === 'string' ? postback.title : '' };
  }
  if (event.kind !== 'message') return undefined;
  const message = item.message as Loose;
  const text = typeof message?.text === 'string' ? message.text : '';
  const quickReply = message?.quick_reply as Loose;
  if (typeof quickReply?.payload === 'string') {
    return { ...base, kind: 'quick_reply', payload: quickReply.payload, text };
  }
  return { ...base, kind: 'message', payload: null, text };
}
