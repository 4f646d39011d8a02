import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { get } from '../api/http';
import { usePages } from '../api/pages';
import type { ConversationView, Paged } from '../api/types';
import type { InboxFilter } from '../realtime/live-updates';
import { shortTime } from './time';

const views = [
  { view: 'mine', label: 'Mine' },
  { view: 'unassigned', label: 'Unassigned' },
  { view: 'all', label: 'All' },
] as const;

function listPath(filter: InboxFilter, cursor: string | null): string {
  const query = new URLSearchParams({ status: filter.status, limit: '50' });
  if (filter.view !== 'all') query.set('view', filter.view);
  if (filter.pageId) query.set('pageId', filter.pageId);
  if (filter.q) query.set('q', filter.q);
  if (cursor) query.set('cursor', cursor);
  return `/api/conversations?${query}`;
}

/** The conversations of a filter, 50 at a time; live updates edit the cached pages in place (live-updates.ts). */
export function useConversations(filter: InboxFilter) {
  return useInfiniteQuery({
    queryKey: ['conversations', filter],
    queryFn: ({ pageParam }) => get<Paged<ConversationView>>(listPath(filter, pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

interface ConversationListProps {
  filter: InboxFilter;
  onFilter(change: Partial<InboxFilter>): void;
  selectedId: string | undefined;
  conversations: ConversationView[];
  query: ReturnType<typeof useConversations>;
}

const rowHeight = 76;

export function ConversationList({
  filter,
  onFilter,
  selectedId,
  conversations,
  query,
}: ConversationListProps) {
  const pages = usePages();
  const scroller = useRef<HTMLDivElement>(null);
  // The rule warns for the React Compiler, which this app does not use; the virtualizer re-renders the list itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: conversations.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const lastShown = items.at(-1)?.index ?? -1;
  // Near the end of what is loaded, the next page comes.
  useEffect(() => {
    if (lastShown >= conversations.length - 10 && query.hasNextPage && !query.isFetchingNextPage)
      void query.fetchNextPage();
  }, [lastShown, conversations.length, query]);
  const pageName = new Map(pages.data?.map((page) => [page.id, page.name]));

  return (
    <section
      aria-label="Conversation list"
      className="flex h-full min-h-0 flex-col border-r border-slate-200 bg-white"
    >
      <div
        role="tablist"
        aria-label="Whose conversations"
        className="flex gap-1 border-b border-slate-200 p-2"
      >
        {views.map(({ view, label }) => (
          <button
            key={view}
            type="button"
            role="tab"
            aria-selected={filter.view === view}
            onClick={() => onFilter({ view })}
            className={`rounded-md px-3 py-1 text-sm font-medium ${
              filter.view === view ? 'bg-brand-600 text-white' : 'text-slate-700 hover:bg-slate-100'
            }`}
          >
            {label}
          </button>
        ))}
      </div>
      <div className="flex flex-wrap gap-2 border-b border-slate-200 p-2">
        <label className="sr-only" htmlFor="inbox-search">
          Search conversations
        </label>
        <input
          id="inbox-search"
          type="search"
          placeholder="Search by name or text"
          defaultValue={filter.q}
          onChange={(event) => onFilter({ q: event.target.value.trim() })}
          className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1 text-sm"
        />
        <label className="flex items-center gap-1 text-sm">
          <span className="sr-only">Status</span>
          <select
            value={filter.status}
            onChange={(event) => onFilter({ status: event.target.value as InboxFilter['status'] })}
            className="rounded-md border border-slate-300 bg-white px-1 py-1"
          >
            <option value="open">Open</option>
            <option value="resolved">Resolved</option>
          </select>
        </label>
        <label className="flex items-center gap-1 text-sm">
          <span className="sr-only">Page</span>
          <select
            value={filter.pageId ?? ''}
            onChange={(event) => onFilter({ pageId: event.target.value || null })}
            className="max-w-40 rounded-md border border-slate-300 bg-white px-1 py-1"
          >
            <option value="">All Pages</option>
            {pages.data?.map((page) => (
              <option key={page.id} value={page.id}>
                {page.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {query.isPending && <p className="p-3 text-sm text-slate-600">Loading…</p>}
      {query.isError && <p className="p-3 text-sm text-red-700">{query.error.message}</p>}
      {query.isSuccess && conversations.length === 0 && (
        <p className="p-3 text-sm text-slate-600">
          No conversation here yet. When someone writes to a connected Page it appears at once.
        </p>
      )}
      <div ref={scroller} className="min-h-0 flex-1 overflow-y-auto">
        <ul aria-label="Conversations" className="relative" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const conversation = conversations[item.index];
            if (!conversation) return null;
            return (
              <li
                key={conversation.id}
                className="absolute inset-x-0"
                style={{ height: item.size, transform: `translateY(${item.start}px)` }}
              >
                <ConversationRow
                  conversation={conversation}
                  selected={conversation.id === selectedId}
                  pageName={pageName.get(conversation.pageId)}
                />
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}

function ConversationRow({
  conversation,
  selected,
  pageName,
}: {
  conversation: ConversationView;
  selected: boolean;
  pageName: string | undefined;
}) {
  const unread = conversation.unreadCount;
  return (
    <Link
      to={`/inbox/${conversation.id}`}
      aria-current={selected ? 'page' : undefined}
      className={`flex h-full flex-col justify-center gap-0.5 border-b border-slate-100 px-3 ${
        selected ? 'bg-brand-50' : 'hover:bg-slate-50'
      }`}
    >
      <span className="flex items-center gap-2">
        <span className={`truncate ${unread > 0 ? 'font-semibold' : 'font-medium'}`}>
          {conversation.subscriberName}
        </span>
        {unread > 0 && (
          <span
            aria-label={`${unread} unread`}
            className="rounded-full bg-brand-600 px-1.5 text-xs font-semibold text-white"
          >
            {unread}
          </span>
        )}
        <span className="ml-auto shrink-0 text-xs text-slate-600">
          {shortTime(conversation.lastMessageAt)}
        </span>
      </span>
      <span className="truncate text-sm text-slate-600">
        {conversation.lastMessage?.direction === 'outbound' && 'You: '}
        {conversation.lastMessage?.preview ?? ''}
      </span>
      {pageName && <span className="truncate text-xs text-slate-600">{pageName}</span>}
    </Link>
  );
}
