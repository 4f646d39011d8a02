import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { post } from '../api/http';
import { useMe } from '../api/session';
import { ModalDialog } from '../layout/modal-dialog';
import type { InboxFilter } from '../realtime/live-updates';
import { ContactPanel } from './contact-panel';
import { ConversationList, useConversations } from './conversation-list';
import { Thread, useConversationDetail } from './thread';

const shortcuts = [
  ['j', 'Next conversation'],
  ['k', 'Previous conversation'],
  ['r', 'Write a reply'],
  ['e', 'Resolve the conversation'],
  ['?', 'Show or hide these shortcuts'],
  ['Esc', 'Close this list, leave the reply box'],
] as const;

/** Live chat: the conversation list, the open thread with its reply box, and the person's contact panel. */
export default function InboxScreen() {
  const { conversationId } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const me = useMe();
  const [filter, setFilter] = useState<Omit<InboxFilter, 'userId'>>({
    view: 'all',
    status: 'open',
    pageId: null,
    q: '',
  });
  const [help, setHelp] = useState(false);
  const [contactOpen, setContactOpen] = useState(false);
  const searchTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const fullFilter = useMemo(() => ({ ...filter, userId: me.data?.user.id ?? '' }), [filter, me.data]);
  const query = useConversations(fullFilter);
  const conversations = useMemo(() => query.data?.pages.flatMap((page) => page.data) ?? [], [query.data]);

  const onFilter = (change: Partial<InboxFilter>) => {
    clearTimeout(searchTimer.current);
    // Typing a search waits for a pause; every other filter applies at once.
    if ('q' in change)
      searchTimer.current = setTimeout(() => setFilter((now) => ({ ...now, ...change })), 250);
    else setFilter((now) => ({ ...now, ...change }));
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      // The shortcuts list is a modal dialog: no shortcut acts behind it, and ? or Esc (the dialog's own) closes it.
      if (help) {
        if (event.key === '?') setHelp(false);
        return;
      }
      if (event.key === 'Escape') {
        if (target.tagName === 'TEXTAREA' || target.tagName === 'INPUT') target.blur();
        return;
      }
      if (target.tagName === 'TEXTAREA' || target.tagName === 'INPUT' || target.tagName === 'SELECT') return;
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      const index = conversations.findIndex((c) => c.id === conversationId);
      if (event.key === 'j' || event.key === 'k') {
        const next = conversations[event.key === 'j' ? index + 1 : Math.max(0, index - 1)];
        if (next) navigate(`/inbox/${next.id}`);
      } else if (event.key === 'r') {
        event.preventDefault();
        document.querySelector<HTMLTextAreaElement>('form[aria-label="Reply"] textarea')?.focus();
      } else if (event.key === 'e' && conversationId) {
        void post(`/api/conversations/${conversationId}/resolve`).then(() =>
          client.invalidateQueries({ queryKey: ['conversation', conversationId] }),
        );
      } else if (event.key === '?') {
        setHelp(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [conversations, conversationId, navigate, client, help]);

  return (
    <div className="relative grid h-full min-h-0 grid-cols-1 md:grid-cols-[20rem_1fr] xl:grid-cols-[22rem_1fr_18rem]">
      <h1 className="sr-only">Inbox</h1>
      <div className={`min-h-0 ${conversationId ? 'hidden md:block' : 'block'}`}>
        <ConversationList
          filter={fullFilter}
          onFilter={onFilter}
          selectedId={conversationId}
          conversations={conversations}
          query={query}
        />
      </div>
      <div className={`min-h-0 ${conversationId ? 'block' : 'hidden md:block'}`}>
        {conversationId ? (
          <Thread
            key={conversationId}
            conversationId={conversationId}
            onBack={() => navigate('/inbox')}
            onContact={() => setContactOpen(true)}
          />
        ) : (
          <div className="flex h-full items-center justify-center p-6 text-center text-slate-500">
            Pick a conversation. Press ? for keyboard shortcuts.
          </div>
        )}
      </div>
      {conversationId && (
        <ContactColumn
          conversationId={conversationId}
          open={contactOpen}
          onClose={() => setContactOpen(false)}
        />
      )}
      <button
        type="button"
        onClick={() => setHelp(true)}
        aria-label="Keyboard shortcuts"
        className="absolute right-2 bottom-2 hidden rounded-full border border-slate-300 bg-white px-2 text-sm text-slate-600 shadow md:block"
      >
        ?
      </button>
      {help && (
        <ModalDialog labelledBy="shortcuts-heading" onClose={() => setHelp(false)}>
          <h2 id="shortcuts-heading" className="mb-2 text-lg font-medium">
            Keyboard shortcuts
          </h2>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            {shortcuts.map(([key, what]) => (
              <div key={key} className="contents">
                <dt>
                  <kbd className="rounded border border-slate-300 px-1">{key}</kbd>
                </dt>
                <dd>{what}</dd>
              </div>
            ))}
          </dl>
          <button
            type="button"
            onClick={() => setHelp(false)}
            className="mt-3 rounded-md border border-slate-300 px-3 py-1 text-sm"
          >
            Close
          </button>
        </ModalDialog>
      )}
    </div>
  );
}

/** The contact panel: a column from 1280 pixels on, a dialog over the thread (its Contact button) below that. */
function ContactColumn({
  conversationId,
  open,
  onClose,
}: {
  conversationId: string;
  open: boolean;
  onClose(): void;
}) {
  const detail = useConversationDetail(conversationId);
  if (!detail.data) return null;
  const panel = <ContactPanel subscriberId={detail.data.subscriber.id} episodes={detail.data.episodes} />;
  return (
    <>
      {/* One panel at a time: its fields' ids are unique on the page. */}
      {open ? null : <div className="hidden min-h-0 xl:block">{panel}</div>}
      {open && (
        <ModalDialog labelledBy="contact-dialog-heading" onClose={onClose}>
          <h2 id="contact-dialog-heading" className="text-lg font-medium">
            {detail.data.conversation.subscriberName}
          </h2>
          {panel}
          <button
            type="button"
            onClick={onClose}
            className="mt-3 rounded-md border border-slate-300 px-3 py-1 text-sm"
          >
            Close
          </button>
        </ModalDialog>
      )}
    </>
  );
}
