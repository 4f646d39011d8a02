import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { get, post } from '../api/http';
import { useMe, useMembers } from '../api/session';
import type { ConversationDetail, ConversationView, MessageView, Paged } from '../api/types';
import { putConversation, putMessage } from '../realtime/live-updates';
import { pagewireSocket } from '../realtime/socket';
import { MessageBubble } from './message-bubble';
import { ReplyBox } from './reply-box';
import { replyWindowAt, useServerNow } from './reply-window';

export function useConversationDetail(conversationId: string) {
  return useQuery({
    queryKey: ['conversation', conversationId],
    queryFn: async () => {
      const detail = await get<ConversationDetail>(`/api/conversations/${conversationId}`);
      return { ...detail, serverOffsetMs: Date.parse(detail.now) - Date.now() };
    },
  });
}

function useMessages(conversationId: string) {
  return useInfiniteQuery({
    queryKey: ['messages', conversationId],
    queryFn: ({ pageParam }) =>
      get<Paged<MessageView>>(
        `/api/conversations/${conversationId}/messages?limit=30${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** Well inside the server's 90 s (server/livechat/presence.ts), so one lost report changes nothing. */
const viewingRepeatMs = 30_000;

/** The other agents looking at this conversation and typing in it, from the server's presence events. */
function usePresence(conversationId: string, myId: string | undefined) {
  const [viewers, setViewers] = useState<string[]>([]);
  const [typing, setTyping] = useState<string[]>([]);
  useEffect(() => {
    const socket = pagewireSocket();
    const report = (viewing: boolean) =>
      post<{ userIds: string[] }>(`/api/conversations/${conversationId}/presence`, { viewing })
        .then(({ userIds }) => viewing && setViewers(userIds))
        .catch(() => undefined);
    const onPresence = (event: { conversationId: string; userIds: string[] }) => {
      if (event.conversationId === conversationId) setViewers(event.userIds);
    };
    const onTyping = (event: { conversationId: string; userId: string; typing: boolean }) => {
      if (event.conversationId !== conversationId) return;
      setTyping((now) =>
        event.typing ? [...new Set([...now, event.userId])] : now.filter((id) => id !== event.userId),
      );
    };
    const onReconnect = () => void report(true);
    void report(true);
    // The server forgets a viewer who stops saying so (a closed laptop, a process gone): say it again while here.
    const stillViewing = setInterval(() => void report(true), viewingRepeatMs);
    socket.on('conversation:presence', onPresence);
    socket.on('conversation:typing', onTyping);
    socket.on('connect', onReconnect);
    return () => {
      clearInterval(stillViewing);
      void report(false);
      socket.off('conversation:presence', onPresence);
      socket.off('conversation:typing', onTyping);
      socket.off('connect', onReconnect);
      setViewers([]);
      setTyping([]);
    };
  }, [conversationId]);
  const others = (ids: string[]) => ids.filter((id) => id !== myId);
  return { viewers: others(viewers), typing: others(typing) };
}

const isHeld = (conversation: ConversationView, nowMs: number) =>
  conversation.claimedById !== null &&
  conversation.humanActiveUntil !== null &&
  Date.parse(conversation.humanActiveUntil) > nowMs;

export function Thread({
  conversationId,
  onBack,
  onContact,
}: {
  conversationId: string;
  onBack(): void;
  /** Narrower than the contact panel's column: opens the panel over the thread. */
  onContact(): void;
}) {
  const client = useQueryClient();
  const me = useMe();
  const members = useMembers();
  const detail = useConversationDetail(conversationId);
  const messages = useMessages(conversationId);
  const now = useServerNow(detail.data?.serverOffsetMs ?? 0);
  const presence = usePresence(conversationId, me.data?.user.id);
  const conversation = detail.data?.conversation;
  const nameOf = (id: string | null) => (id && members.data?.get(id)?.name) || 'another agent';

  const act = useMutation({
    mutationFn: (action: { path: string; body?: unknown }) =>
      post<{ conversation: ConversationView }>(
        `/api/conversations/${conversationId}/${action.path}`,
        action.body,
      ),
    onSuccess: ({ conversation: updated }) => putConversation(client, updated),
  });
  const retry = useMutation({
    mutationFn: (text: string) =>
      post<{ message: MessageView | null }>(`/api/conversations/${conversationId}/messages`, {
        type: 'text',
        text,
      }),
    onSuccess: ({ message }) => message && putMessage(client, conversationId, message),
  });

  // The newest message in view: on opening, and when one arrives while the agent is at the bottom already.
  const log = useRef<HTMLDivElement>(null);
  const newestId = messages.data?.pages[0]?.data[0]?.id;
  useEffect(() => {
    const element = log.current;
    if (!element) return;
    const nearBottom = element.scrollHeight - element.scrollTop - element.clientHeight < 200;
    if (nearBottom || element.dataset.opened !== conversationId) {
      element.scrollTop = element.scrollHeight;
      element.dataset.opened = conversationId;
    }
  }, [newestId, conversationId, detail.isSuccess]);

  // A past episode in the contact panel links here with ?from=<its opening>: earlier messages load until that time is
  // reached, then the episode's first message is brought into view and focused.
  const [params, setParams] = useSearchParams();
  const from = params.get('from');
  useEffect(() => {
    if (!from || !messages.data || messages.isFetchingNextPage) return;
    const at = Date.parse(from);
    const loaded = messages.data.pages.flatMap((page) => page.data);
    const oldest = loaded.at(-1);
    if (messages.hasNextPage && oldest && Date.parse(oldest.occurredAt) > at) {
      void messages.fetchNextPage();
      return;
    }
    const first = loaded.findLast((message) => Date.parse(message.occurredAt) >= at);
    if (first) log.current?.querySelector<HTMLElement>(`[data-message-id="${first.id}"]`)?.focus();
    setParams({}, { replace: true });
  }, [from, messages, setParams]);

  // Opening a conversation reads it: the unread count goes to zero and Messenger shows the person "seen".
  const unread = conversation?.unreadCount ?? 0;
  useEffect(() => {
    if (unread > 0)
      void post(`/api/conversations/${conversationId}/sender-actions`, { action: 'mark_seen' })
        .then(() => client.invalidateQueries({ queryKey: ['conversations'] }))
        .catch(() => undefined);
  }, [conversationId, unread, client]);

  if (detail.isPending) return <p className="p-4 text-slate-500">Loading…</p>;
  if (detail.isError || !conversation) return <p className="p-4 text-red-700">{detail.error?.message}</p>;

  const replyWindow = replyWindowAt(detail.data, now);
  const held = isHeld(conversation, now);
  const heldByMe = held && conversation.claimedById === me.data?.user.id;
  const blockedBy =
    held && !heldByMe ? `Claimed by ${nameOf(conversation.claimedById)}: only they can reply.` : null;
  const ordered = [...(messages.data?.pages.flatMap((page) => page.data) ?? [])].reverse();

  return (
    <section
      aria-label={`Conversation with ${conversation.subscriberName}`}
      className="flex h-full min-h-0 flex-col"
    >
      <header className="flex flex-wrap items-center gap-2 border-b border-slate-200 bg-white px-3 py-2">
        <button
          type="button"
          onClick={onBack}
          className="rounded-md px-2 py-1 text-sm hover:bg-slate-100 md:hidden"
        >
          ← Back
        </button>
        <h2 className="text-lg font-medium">{conversation.subscriberName}</h2>
        <button
          type="button"
          onClick={onContact}
          className="rounded-md border border-slate-300 px-2 py-0.5 text-sm hover:bg-slate-100 xl:hidden"
        >
          Contact
        </button>
        <span className="text-xs text-slate-500">{conversation.status === 'open' ? 'Open' : 'Resolved'}</span>
        {held && (
          <span className="text-sm text-slate-600">
            {heldByMe ? 'Claimed by you' : `Claimed by ${nameOf(conversation.claimedById)}`}
          </span>
        )}
        <div className="ml-auto flex flex-wrap gap-1">
          {!heldByMe && (
            <ActionButton onClick={() => act.mutate({ path: 'claim' })} disabled={act.isPending || held}>
              Claim
            </ActionButton>
          )}
          <select
            aria-label="Assignee"
            value={conversation.assigneeId ?? ''}
            disabled={act.isPending}
            onChange={(event) =>
              act.mutate(
                event.target.value
                  ? { path: 'assign', body: { assigneeId: event.target.value } }
                  : { path: 'unassign' },
              )
            }
            className="rounded-md border border-slate-300 bg-white px-1 py-1 text-sm"
          >
            <option value="">Unassigned</option>
            {[...(members.data?.values() ?? [])].map((member) => (
              <option key={member.userId} value={member.userId}>
                {member.userId === me.data?.user.id
                  ? 'Assigned to me'
                  : `Assigned to ${member.name ?? 'a member'}`}
              </option>
            ))}
          </select>
          {conversation.status === 'open' ? (
            <ActionButton onClick={() => act.mutate({ path: 'resolve' })} disabled={act.isPending}>
              Resolve
            </ActionButton>
          ) : (
            <ActionButton onClick={() => act.mutate({ path: 'reopen' })} disabled={act.isPending}>
              Reopen
            </ActionButton>
          )}
        </div>
        {act.isError && (
          <p role="alert" className="w-full text-sm text-red-700">
            {act.error.message}
          </p>
        )}
      </header>
      {(presence.viewers.length > 0 || presence.typing.length > 0) && (
        <p className="border-b border-slate-100 bg-slate-50 px-3 py-1 text-xs text-slate-600">
          {presence.typing.length > 0
            ? `${presence.typing.map(nameOf).join(', ')} ${presence.typing.length > 1 ? 'are' : 'is'} typing…`
            : `${presence.viewers.map(nameOf).join(', ')} ${presence.viewers.length > 1 ? 'are' : 'is'} viewing`}
        </p>
      )}
      <div
        ref={log}
        role="log"
        aria-label="Messages"
        className="min-h-0 flex-1 space-y-3 overflow-y-auto p-3"
      >
        {messages.hasNextPage && (
          <button
            type="button"
            onClick={() => void messages.fetchNextPage()}
            disabled={messages.isFetchingNextPage}
            className="mx-auto block rounded-md px-3 py-1 text-sm text-brand-700 hover:bg-brand-50"
          >
            Load earlier messages
          </button>
        )}
        {ordered.map((message) => (
          <MessageBubble
            key={message.id}
            message={message}
            members={members.data}
            {...(message.status === 'failed' && message.sender === 'agent' && message.text
              ? { onRetry: () => retry.mutate(message.text as string) }
              : {})}
          />
        ))}
        {retry.isError && (
          <p role="alert" className="text-sm text-red-700">
            Not sent: {retry.error.message}
          </p>
        )}
      </div>
      <ReplyBox conversationId={conversationId} window={replyWindow} blockedBy={blockedBy} />
    </section>
  );
}

function ActionButton({
  children,
  onClick,
  disabled,
}: {
  children: string;
  onClick(): void;
  disabled: boolean;
}) {
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      className="rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 disabled:opacity-50"
    >
      {children}
    </button>
  );
}
