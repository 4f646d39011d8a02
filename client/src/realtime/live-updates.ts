import { useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { ConversationView, MessageStatusEvent, MessageView, Paged } from '../api/types';
import { pagewireSocket } from './socket';

type MessagePages = InfiniteData<Paged<MessageView>, string | null>;
type ConversationPages = InfiniteData<Paged<ConversationView>, string | null>;

/**
 * A query in flight when an event arrives may answer with what the server had before the event, and its answer would
 * replace the event's change: the request is cancelled and the query asked again (invalidating alone would wait for
 * a first load's request rather than cancel it).
 */
function refetchIfInFlight(client: QueryClient, queryKey: readonly unknown[]): void {
  if (client.isFetching({ queryKey, exact: true }) === 0) return;
  void client
    .cancelQueries({ queryKey, exact: true })
    .then(() => client.invalidateQueries({ queryKey, exact: true }));
}

/** Adds or replaces a message in a thread's cached pages (newest first), once per id or `mid`. */
export function putMessage(client: QueryClient, conversationId: string, message: MessageView): void {
  refetchIfInFlight(client, ['messages', conversationId]);
  client.setQueryData<MessagePages>(['messages', conversationId], (cached) => {
    if (!cached) return cached;
    const same = (m: MessageView) => m.id === message.id || (message.mid && m.mid === message.mid);
    const known = cached.pages.some((page) => page.data.some(same));
    if (known) {
      return {
        ...cached,
        pages: cached.pages.map((page) => ({ ...page, data: page.data.map((m) => (same(m) ? message : m)) })),
      };
    }
    const [first, ...rest] = cached.pages;
    if (!first) return cached;
    return { ...cached, pages: [{ ...first, data: [message, ...first.data] }, ...rest] };
  });
}

function applyStatus(client: QueryClient, event: MessageStatusEvent): void {
  client.setQueryData<MessagePages>(['messages', event.conversationId], (cached) =>
    cached
      ? {
          ...cached,
          pages: cached.pages.map((page) => ({
            ...page,
            data: page.data.map((m) =>
              m.id === event.messageId
                ? { ...m, status: event.status, failure: event.failure ?? m.failure }
                : m,
            ),
          })),
        }
      : cached,
  );
}

/** The inbox list's filters, as its query key holds them (inbox/conversation-list.tsx). */
export interface InboxFilter {
  view: 'mine' | 'unassigned' | 'all';
  status: 'open' | 'resolved';
  pageId: string | null;
  q: string;
  userId: string;
}

function matches(filter: InboxFilter, conversation: ConversationView): boolean {
  if (conversation.status !== filter.status) return false;
  if (filter.pageId && conversation.pageId !== filter.pageId) return false;
  if (filter.view === 'mine' && conversation.assigneeId !== filter.userId) return false;
  if (filter.view === 'unassigned' && conversation.assigneeId !== null) return false;
  return true;
}

/**
 * Puts an updated conversation where it now belongs: in its cached detail, and in every cached list, in its place by
 * last message (newest first) where it matches the list's filter, out of the lists it no longer matches. A search
 * list only updates the rows it already shows (the server decides what a search finds).
 */
export function putConversation(client: QueryClient, conversation: ConversationView): void {
  const detailKey = ['conversation', conversation.id];
  refetchIfInFlight(client, detailKey);
  const detail = client.getQueryData<{ conversation: ConversationView }>(detailKey);
  if (detail) {
    client.setQueryData(detailKey, { ...detail, conversation });
    // A resolve ends an episode and a reopening begins one: the detail, which lists them, is read again.
    if (detail.conversation.status !== conversation.status)
      void client.invalidateQueries({ queryKey: detailKey, exact: true });
  }
  for (const [key, cached] of client.getQueriesData<ConversationPages>({ queryKey: ['conversations'] })) {
    refetchIfInFlight(client, key);
    if (!cached) continue;
    const filter = key[1] as InboxFilter;
    const shown = cached.pages.some((page) => page.data.some((c) => c.id === conversation.id));
    if (filter.q) {
      if (shown)
        client.setQueryData<ConversationPages>(key, {
          ...cached,
          pages: cached.pages.map((page) => ({
            ...page,
            data: page.data.map((c) => (c.id === conversation.id ? conversation : c)),
          })),
        });
      continue;
    }
    const pages = cached.pages.map((page) => ({
      ...page,
      data: page.data.filter((c) => c.id !== conversation.id),
    }));
    if (matches(filter, conversation)) {
      const at = Date.parse(conversation.lastMessageAt);
      const index = pages.findIndex(
        (page, i) =>
          page.data.some((c) => Date.parse(c.lastMessageAt) <= at) ||
          (i === pages.length - 1 && !page.nextCursor),
      );
      const page = pages[index];
      if (page) {
        const position = page.data.findIndex((c) => Date.parse(c.lastMessageAt) <= at);
        const data = [...page.data];
        data.splice(position === -1 ? data.length : position, 0, conversation);
        pages[index] = { ...page, data };
      }
    }
    client.setQueryData<ConversationPages>(key, { ...cached, pages });
  }
}

/**
 * Keeps the cached inbox in step with the server's events for as long as the shell is mounted, and catches up after
 * a dropped connection: everything the socket may have missed is fetched again.
 */
export function useLiveUpdates(): void {
  const client = useQueryClient();
  useEffect(() => {
    const socket = pagewireSocket();
    let connectedBefore = socket.connected;
    const onMessage = ({ conversationId, message }: { conversationId: string; message: MessageView }) =>
      putMessage(client, conversationId, message);
    const onStatus = (event: MessageStatusEvent) => applyStatus(client, event);
    const onConversation = ({ conversation }: { conversation: ConversationView }) =>
      putConversation(client, conversation);
    const onConnect = () => {
      if (connectedBefore) void client.invalidateQueries();
      connectedBefore = true;
    };
    socket.on('message:new', onMessage);
    socket.on('message:status', onStatus);
    socket.on('conversation:updated', onConversation);
    socket.on('conversation:needs-human', onConversation);
    // Health changes (a lost token, a pause by Meta): the Pages list is fetched again to show them.
    const onPageHealth = () => void client.invalidateQueries({ queryKey: ['pages'] });
    socket.on('connect', onConnect);
    socket.on('page:health', onPageHealth);
    return () => {
      socket.off('page:health', onPageHealth);
      socket.off('message:new', onMessage);
      socket.off('message:status', onStatus);
      socket.off('conversation:updated', onConversation);
      socket.off('conversation:needs-human', onConversation);
      socket.off('connect', onConnect);
    };
  }, [client]);
}
