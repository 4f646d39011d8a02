import type { EventScope } from '../../webhooks/event-scope';
import type { StoredPageEvent, WebhookHandlers } from '../../webhooks/handler-registry';
import { conversationInScope } from '../messaging/thread-store';
import { connectedPagesFor, type PageAccess } from '../pages/page-access';
import { subscriberInScope } from '../subscribers/subscriber-service';
import { isOwnUnrecordedEcho, takeInEcho, takeInReceipt, type EchoDeps } from './echoes-and-receipts';
import { applyKeyword, takeInPersonAction, type ConnectedPage, type InboundDeps } from './inbound-messages';
import { optinOf, personActionOf } from './person-actions';
import { applyPolicyEnforcement, type PolicyEnforcementDeps } from './policy-enforcement';

export interface LiveChatWebhookDeps
  extends InboundDeps, Omit<EchoDeps, 'subscribers'>, Omit<PolicyEnforcementDeps, 'logger'> {
  pageAccess: Pick<PageAccess, 'findConnectedByFbPageId' | 'pauseAutomation' | 'resumeAutomation'>;
  /** BOT_GET_STARTED_PAYLOAD: the postback that is Get Started (server/messaging/get-started.ts). */
  getStartedPayload: string;
}

/** Meta's `notification_messages_status` when a person stops or resumes marketing messages. */
const stopNotifications = 'STOP_NOTIFICATIONS';
const resumeNotifications = 'RESUME_NOTIFICATIONS';

/**
 * Live chat's part of every Page event. One Facebook Page may be connected in several workspaces; each copy gets
 * its own subscriber, conversation and message, so each workspace sees the event.
 */
export function registerLiveChatWebhookHandlers(handlers: WebhookHandlers, deps: LiveChatWebhookDeps): void {
  const echoDeps: EchoDeps = { ...deps, subscribers: deps.subscribers };
  const forEachPage = (
    handle: (page: ConnectedPage, event: StoredPageEvent, scope: EventScope) => Promise<void>,
  ) => {
    return async (event: StoredPageEvent, scope: EventScope) => {
      const pages = await connectedPagesFor(scope, deps.pageAccess, event.fbPageId);
      for (const page of pages) await handle(page, event, scope);
    };
  };

  const personAction = forEachPage(async (page, event, scope) => {
    const action = personActionOf(event, deps.getStartedPayload);
    if (!action) return;
    const { subscriber, conversation } = await takeInPersonAction(deps, page, event, action);
    const now =
      event.kind === 'message'
        ? await applyKeyword(deps, page, event, subscriber, action.message?.text)
        : subscriber;
    // The bot, next, reads both: from here rather than from the database.
    scope.keep(subscriberInScope(page._id, action.psid), now);
    if (conversation) scope.keep(conversationInScope(page._id, now._id), conversation);
  });
  for (const kind of ['message', 'postback', 'reaction', 'referral'] as const)
    handlers.on(kind, personAction);

  handlers.on(
    'optin',
    forEachPage(async (page, event) => {
      const optin = optinOf(event);
      if (!optin) return;
      const interaction = {
        psid: optin.psid,
        interaction: 'optin' as const,
        ...(optin.ref ? { ref: optin.ref } : {}),
      };
      const { subscriber } = await takeInPersonAction(deps, page, event, interaction);
      const ids = [String(page.workspace), String(subscriber._id)] as const;
      // Meta policy: a stop request made anywhere is honoured at once.
      if (optin.status === stopNotifications)
        await deps.subscribers.unsubscribe(
          ...ids,
          'Stopped notification messages in Messenger',
          'messenger_setting',
        );
      if (optin.status === resumeNotifications)
        await deps.subscribers.resubscribe(...ids, 'messenger_setting');
    }),
  );

  const takeInEchoes = forEachPage((page, event) => takeInEcho(echoDeps, page, event));
  handlers.on('echo', takeInEchoes, { wants: (event) => !isOwnUnrecordedEcho(deps.appId, event) });
  handlers.on(
    'delivery',
    forEachPage((page, event) => takeInReceipt(echoDeps, page, event, 'delivery')),
  );
  handlers.on(
    'read',
    forEachPage((page, event) => takeInReceipt(echoDeps, page, event, 'read')),
  );
  // About the Page, not a person: it pauses automated sends and tells admins (see policy-enforcement.ts).
  handlers.on('policy_enforcement', (event) => applyPolicyEnforcement(deps, event));
}
