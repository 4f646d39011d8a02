import type { SharedRedis } from '../platform/redis';
import type { Realtime } from '../realtime/realtime';

/**
 * How long a "viewing" report lasts: the dashboard repeats it while the conversation stays open, so an agent whose
 * tab or process went away without saying so stops counting after this.
 */
export const viewingLastsMs = 90_000;

/** Who has each conversation open: a hint for "someone else is here", never a lock. */
interface Viewers {
  /** Records the report and answers who views the conversation now. */
  report(conversationId: string, userId: string, viewing: boolean, nowMs: number): Promise<string[]>;
}

function viewersInMemory(): Viewers {
  const byConversation = new Map<string, Map<string, number>>();
  return {
    async report(conversationId, userId, viewing, nowMs) {
      const viewers = byConversation.get(conversationId) ?? new Map<string, number>();
      if (viewing) viewers.set(userId, nowMs + viewingLastsMs);
      else viewers.delete(userId);
      for (const [id, until] of viewers) if (until <= nowMs) viewers.delete(id);
      if (viewers.size === 0) byConversation.delete(conversationId);
      else byConversation.set(conversationId, viewers);
      return [...viewers.keys()];
    },
  };
}

/** The same in the deployment's Redis, so agents on different processes see each other. */
function viewersInRedis({ commands, prefix }: SharedRedis): Viewers {
  return {
    async report(conversationId, userId, viewing, nowMs) {
      const key = `${prefix}:viewers:${conversationId}`;
      const write = commands.multi();
      if (viewing) write.hset(key, userId, String(nowMs + viewingLastsMs));
      else write.hdel(key, userId);
      write.pexpire(key, viewingLastsMs).hgetall(key);
      const results = (await write.exec()) ?? [];
      const [error, all] = results[results.length - 1] ?? [];
      if (error) throw error;
      const viewers = Object.entries((all ?? {}) as Record<string, string>);
      const gone = viewers.filter(([, until]) => Number(until) <= nowMs).map(([id]) => id);
      if (gone.length > 0) await commands.hdel(key, ...gone);
      return viewers.filter(([, until]) => Number(until) > nowMs).map(([id]) => id);
    },
  };
}

/** Presence and typing, told to the conversation's Page room only (on every process, through the adapter). */
export function createPresence(
  realtime: Pick<Realtime, 'emitToPage'>,
  redis: SharedRedis | undefined,
  now: () => Date,
) {
  const viewers = redis ? viewersInRedis(redis) : viewersInMemory();
  return {
    async report(
      pageId: string,
      conversationId: string,
      userId: string,
      viewing: boolean,
    ): Promise<string[]> {
      const userIds = await viewers.report(conversationId, userId, viewing, now().getTime());
      realtime.emitToPage(pageId, 'conversation:presence', { pageId, conversationId, userIds });
      return userIds;
    },
    typing(pageId: string, conversationId: string, userId: string, typing: boolean): void {
      realtime.emitToPage(pageId, 'conversation:typing', { pageId, conversationId, userId, typing });
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;
