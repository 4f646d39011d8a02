import type { Realtime } from '../realtime/realtime';

/**
 * Which agents have a conversation open, for the "someone else is here" hint. Kept in memory: it is a hint, lost
 * with the process and rebuilt as agents come back; each report goes to the conversation's Page room only.
 */
export function createPresence(realtime: Pick<Realtime, 'emitToPage'>) {
  const viewers = new Map<string, Set<string>>();
  return {
    report(pageId: string, conversationId: string, userId: string, viewing: boolean): string[] {
      const set = viewers.get(conversationId) ?? new Set<string>();
      if (viewing) set.add(userId);
      else set.delete(userId);
      if (set.size === 0) viewers.delete(conversationId);
      else viewers.set(conversationId, set);
      const userIds = [...set];
      realtime.emitToPage(pageId, 'conversation:presence', { pageId, conversationId, userIds });
      return userIds;
    },
    typing(pageId: string, conversationId: string, userId: string, typing: boolean): void {
      realtime.emitToPage(pageId, 'conversation:typing', { pageId, conversationId, userId, typing });
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;
