import type { Member, MessageView } from '../api/types';
import { shortTime } from './time';

const statusWords: Record<string, string> = {
  pending: 'Sending…',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  unknown: 'Not confirmed by Messenger',
};

/** Who a message is from, in the words an agent uses. */
function originOf(message: MessageView, members: Map<string, Member> | undefined): string {
  switch (message.sender) {
    case 'subscriber':
      return 'The person';
    case 'agent':
      return (message.agentId && members?.get(message.agentId)?.name) || 'An agent';
    case 'bot':
      return 'Bot';
    case 'broadcast':
      return 'Broadcast';
    case 'capture':
      return 'Comment reply';
    case 'page_inbox':
      return 'Page inbox';
    default:
      return 'Another app';
  }
}

export function MessageBubble({
  message,
  members,
  onRetry,
}: {
  message: MessageView;
  members: Map<string, Member> | undefined;
  onRetry?: () => void;
}) {
  const inbound = message.direction === 'inbound';
  const note = message.direction === 'internal';
  const failed = message.status === 'failed';
  const tone = note
    ? 'border border-dashed border-amber-400 bg-amber-50'
    : inbound
      ? 'bg-white border border-slate-200'
      : 'bg-brand-600 text-white';
  return (
    <article
      aria-label={`${note ? 'Note' : 'Message'} from ${originOf(message, members)}`}
      data-status={message.status}
      data-message-id={message.id}
      tabIndex={-1}
      className={`flex flex-col gap-1 ${inbound ? 'items-start' : 'items-end'}`}
    >
      <span className="text-xs text-slate-600">
        {note ? `Internal note · ${originOf(message, members)}` : originOf(message, members)} ·{' '}
        {shortTime(message.occurredAt)}
      </span>
      <div className={`max-w-[85%] rounded-2xl px-3 py-2 text-sm whitespace-pre-wrap break-words ${tone}`}>
        {message.text}
        {message.reaction && (
          <span>
            {message.reaction.action === 'unreact'
              ? 'Removed a reaction'
              : `Reacted ${message.reaction.emoji ?? message.reaction.reaction}`}
          </span>
        )}
        {message.attachments?.map((attachment, index) =>
          attachment.type === 'image' && attachment.url ? (
            <img
              key={index}
              src={attachment.url}
              alt="Image sent in the conversation"
              className="mt-1 max-h-60 rounded-md"
            />
          ) : (
            <span key={index} className="block italic">
              [{attachment.type}]{' '}
              {attachment.url && (
                <a href={attachment.url} target="_blank" rel="noreferrer" className="underline">
                  open
                </a>
              )}
            </span>
          ),
        )}
        {message.kind === 'quick_reply' && message.payload && (
          <span className="mt-1 block text-xs opacity-80">Tapped a quick reply</span>
        )}
      </div>
      {!inbound && !note && (
        <span className={`text-xs ${failed ? 'text-red-700' : 'text-slate-600'}`}>
          {failed
            ? `Failed: ${message.failure?.reason ?? 'Messenger refused the message.'}`
            : (statusWords[message.status] ?? message.status)}
          {message.delivery?.tag && ` · sent with ${message.delivery.tag}`}
          {failed && onRetry && (
            <button type="button" onClick={onRetry} className="ml-2 font-medium underline">
              Retry
            </button>
          )}
        </span>
      )}
    </article>
  );
}
