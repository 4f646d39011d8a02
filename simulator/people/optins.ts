import type { SimContext } from '../context';
import { ControlError } from '../control/errors';
import { newOpaqueToken } from '../ids';
import { fromPerson } from '../webhook-sender/events';
import { threadOf } from './lookup';

export type OptinInput =
  | { type: 'notification_messages'; title?: string; payload?: string; timezone?: string }
  | { type: 'notification_messages_status'; status: 'STOP_NOTIFICATIONS' | 'RESUME_NOTIFICATIONS' }
  | { type: 'one_time_notif_req'; payload?: string }
  | { type: 'plugin'; ref?: string };

export interface OptinResult {
  psid: string;
  timestamp: number;
  notificationMessagesToken?: string;
  oneTimeNotifToken?: string;
  userRef?: string;
}

const YEAR_MS = 365 * 24 * 3_600_000;

/** messaging_optins. Opting in to marketing messages does not open the 24-hour window (docs/messenger-platform.md §3). */
export function personOptsIn(
  ctx: SimContext,
  personId: string,
  pageId: string,
  input: OptinInput,
): OptinResult {
  const thread = threadOf(ctx, personId, pageId);
  const timestamp = ctx.clock.now();
  const emit = (optin: Record<string, unknown>, sender?: Record<string, unknown>) => {
    const event = fromPerson(thread, timestamp, { optin });
    ctx.webhooks.messaging(pageId, thread.psid, 'messaging_optins', sender ? { ...event, sender } : event);
  };
  switch (input.type) {
    case 'notification_messages': {
      const token = newOpaqueToken();
      ctx.state.notificationTokens.set(token, {
        token,
        pageId,
        psid: thread.psid,
        stopped: false,
        lastSentAt: null,
      });
      emit({
        type: 'notification_messages',
        title: input.title ?? 'Updates',
        payload: input.payload ?? '',
        notification_messages_token: token,
        notification_messages_timezone: input.timezone ?? 'UTC',
        token_expiry_timestamp: timestamp + YEAR_MS,
        user_token_status: 'NOT_REFRESHED',
      });
      return { psid: thread.psid, timestamp, notificationMessagesToken: token };
    }
    case 'notification_messages_status':
      return changeNotificationStatus(ctx, thread.psid, pageId, input.status, (token) =>
        emit({
          type: 'notification_messages',
          notification_messages_token: token,
          notification_messages_status: input.status,
          user_token_status: 'NOT_REFRESHED',
        }),
      );
    case 'one_time_notif_req': {
      const token = newOpaqueToken();
      ctx.state.oneTimeTokens.set(token, { pageId, psid: thread.psid, used: false });
      emit({ type: 'one_time_notif_req', payload: input.payload ?? '', one_time_notif_token: token });
      return { psid: thread.psid, timestamp, oneTimeNotifToken: token };
    }
    case 'plugin': {
      const userRef = newOpaqueToken();
      ctx.state.userRefs.set(userRef, { pageId, personId });
      emit({ ref: input.ref ?? '', user_ref: userRef }, { user_ref: userRef });
      return { psid: thread.psid, timestamp, userRef };
    }
  }
}

function changeNotificationStatus(
  ctx: SimContext,
  psid: string,
  pageId: string,
  status: 'STOP_NOTIFICATIONS' | 'RESUME_NOTIFICATIONS',
  emit: (token: string) => void,
): OptinResult {
  const tokens = [...ctx.state.notificationTokens.values()].filter(
    (token) => token.pageId === pageId && token.psid === psid,
  );
  if (tokens.length === 0) throw new ControlError(409, 'the person has not opted in to marketing messages');
  for (const token of tokens) {
    token.stopped = status === 'STOP_NOTIFICATIONS';
    emit(token.token);
  }
  return { psid, timestamp: ctx.clock.now(), notificationMessagesToken: tokens[0]?.token };
}
