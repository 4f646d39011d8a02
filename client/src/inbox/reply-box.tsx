import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { post } from '../api/http';
import type { AgentContent, MessageView } from '../api/types';
import { putMessage } from '../realtime/live-updates';
import type { ReplyWindow } from './reply-window';

interface ReplyBoxProps {
  conversationId: string;
  window: ReplyWindow | null;
  /** Why this agent may not reply now (another agent holds the conversation), or null. */
  blockedBy: string | null;
}

/** Parses "Yes, No thanks" into quick replies whose payload is their title. */
const quickRepliesOf = (titles: string) =>
  titles
    .split(',')
    .map((title) => title.trim())
    .filter(Boolean)
    .map((title) => ({ title, payload: title }));

/**
 * Reply or private note. What may be sent follows the window: anything inside 24 h, typed text only with the
 * human-agent tag until 7 days, nothing but notes after. A refused send stays on screen with Messenger's reason.
 */
export function ReplyBox({ conversationId, window, blockedBy }: ReplyBoxProps) {
  const client = useQueryClient();
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [text, setText] = useState('');
  const [quickReplies, setQuickReplies] = useState('');
  const [imageUrl, setImageUrl] = useState('');
  const typingSince = useRef(0);
  const textArea = useRef<HTMLTextAreaElement>(null);

  const standard = window?.kind === 'standard';
  const closed = window?.kind === 'closed';
  const replyDisabled = mode === 'reply' && (closed || blockedBy !== null);

  const send = useMutation({
    mutationFn: async (): Promise<MessageView | null> => {
      if (mode === 'note')
        return (await post<{ message: MessageView }>(`/api/conversations/${conversationId}/notes`, { text }))
          .message;
      const replies = standard ? quickRepliesOf(quickReplies) : [];
      const content: AgentContent =
        standard && imageUrl.trim()
          ? { type: 'image', url: imageUrl.trim() }
          : replies.length > 0
            ? { type: 'quick_replies', text, quickReplies: replies }
            : { type: 'text', text };
      return (
        await post<{ message: MessageView | null }>(`/api/conversations/${conversationId}/messages`, content)
      ).message;
    },
    onSuccess: (message) => {
      if (message) putMessage(client, conversationId, message);
      setText('');
      setQuickReplies('');
      setImageUrl('');
      stopTyping();
    },
  });

  function stopTyping() {
    if (typingSince.current === 0) return;
    typingSince.current = 0;
    void post(`/api/conversations/${conversationId}/sender-actions`, { action: 'typing_off' }).catch(
      () => undefined,
    );
  }

  // Messenger shows "typing…" for 20 seconds: say it again every 10 while the agent types.
  function typed(value: string) {
    setText(value);
    if (mode !== 'reply' || replyDisabled || !value) return;
    const now = Date.now();
    if (now - typingSince.current < 10_000) return;
    typingSince.current = now;
    void post(`/api/conversations/${conversationId}/sender-actions`, { action: 'typing_on' }).catch(
      () => undefined,
    );
  }

  // Leaving the conversation while typing: Messenger stops showing "typing…" at once.
  useEffect(() => {
    const since = typingSince;
    return () => {
      if (since.current !== 0)
        void post(`/api/conversations/${conversationId}/sender-actions`, { action: 'typing_off' }).catch(
          () => undefined,
        );
    };
  }, [conversationId]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (replyDisabled || send.isPending) return;
    if (!text.trim() && !(mode === 'reply' && standard && imageUrl.trim())) return;
    send.mutate();
  };

  return (
    <form onSubmit={submit} aria-label="Reply" className="space-y-2 border-t border-slate-200 bg-white p-3">
      {window && (
        <p
          role="status"
          className={`rounded-md px-2 py-1 text-sm ${
            window.kind === 'standard'
              ? 'bg-emerald-50 text-emerald-900'
              : window.kind === 'human_agent'
                ? 'bg-amber-50 text-amber-900'
                : 'bg-red-50 text-red-900'
          }`}
        >
          {window.words}
        </p>
      )}
      {blockedBy && mode === 'reply' && (
        <p className="rounded-md bg-slate-100 px-2 py-1 text-sm text-slate-700">{blockedBy}</p>
      )}
      <div role="radiogroup" aria-label="Send as" className="flex gap-1 text-sm">
        {(['reply', 'note'] as const).map((choice) => (
          <button
            key={choice}
            type="button"
            role="radio"
            aria-checked={mode === choice}
            onClick={() => setMode(choice)}
            className={`rounded-md px-2 py-1 ${mode === choice ? 'bg-slate-800 text-white' : 'hover:bg-slate-100'}`}
          >
            {choice === 'reply' ? 'Reply' : 'Private note'}
          </button>
        ))}
      </div>
      <label className="sr-only" htmlFor={`reply-${conversationId}`}>
        {mode === 'reply' ? 'Reply to the person' : 'Private note for the team'}
      </label>
      <textarea
        id={`reply-${conversationId}`}
        ref={textArea}
        value={text}
        disabled={replyDisabled}
        onChange={(event) => typed(event.target.value)}
        onBlur={stopTyping}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey) submit(event);
        }}
        rows={3}
        placeholder={
          mode === 'reply'
            ? 'Write a reply… (Enter sends, Shift+Enter for a new line)'
            : 'Only your team sees notes'
        }
        className={`w-full resize-none rounded-md border px-2 py-1 text-sm disabled:bg-slate-100 ${
          mode === 'note' ? 'border-amber-400 bg-amber-50' : 'border-slate-300'
        }`}
      />
      {mode === 'reply' && standard && (
        <div className="flex flex-wrap gap-2 text-sm">
          <label className="flex min-w-0 flex-1 items-center gap-1">
            <span className="shrink-0 text-slate-600">Quick replies</span>
            <input
              value={quickReplies}
              onChange={(event) => setQuickReplies(event.target.value)}
              placeholder="Yes, No thanks"
              className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1"
            />
          </label>
          <label className="flex min-w-0 flex-1 items-center gap-1">
            <span className="shrink-0 text-slate-600">Image URL</span>
            <input
              type="url"
              value={imageUrl}
              onChange={(event) => setImageUrl(event.target.value)}
              placeholder="https://…"
              className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1"
            />
          </label>
        </div>
      )}
      <div className="flex items-center gap-2">
        <button
          type="submit"
          disabled={replyDisabled || send.isPending}
          className="rounded-md bg-brand-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50"
        >
          {mode === 'reply' ? 'Send' : 'Add note'}
        </button>
        {send.isError && (
          <p role="alert" className="text-sm text-red-700">
            Not sent: {send.error.message}
          </p>
        )}
      </div>
    </form>
  );
}
