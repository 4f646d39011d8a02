import type { ConversationRecord } from '../../models/conversation';
import type { MessageRecord } from '../../models/message';
import type { Realtime } from '../realtime/realtime';
import { conversationView, messageView } from './views';

/** What live chat pushes to agents; every event goes to exactly the room of the Page it belongs to. */
export interface LiveEvents {
  messageNew(message: MessageRecord): void;
  messageStatus(message: MessageRecord): void;
  conversationUpdated(conversation: ConversationRecord): void;
}

export function createLiveEvents(realtime: Pick<Realtime, 'emitToPage'>): LiveEvents {
  return {
    messageNew(message) {
      const pageId = String(message.page);
      const conversationId = String(message.conversation);
      realtime.emitToPage(pageId, 'message:new', { pageId, conversationId, message: messageView(message) });
    },
    messageStatus(message) {
      const pageId = String(message.page);
      realtime.emitToPage(pageId, 'message:status', {
        pageId,
        conversationId: String(message.conversation),
        messageId: String(message._id),
        mid: message.mid,
        status: message.status,
        ...(message.failure?.outcome ? { failure: message.failure } : {}),
      });
    },
    conversationUpdated(conversation) {
      const pageId = String(conversation.page);
      realtime.emitToPage(pageId, 'conversation:updated', {
        pageId,
        conversation: conversationView(conversation),
      });
    },
  };
}

/** For callers that run without agents to tell (scripts, some tests). */
export const silentLiveEvents: LiveEvents = {
  messageNew: () => undefined,
  messageStatus: () => undefined,
  conversationUpdated: () => undefined,
};
