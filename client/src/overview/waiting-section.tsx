import { Link } from 'react-router';
import { useWaitingConversations } from '../api/overview';
import { usePages } from '../api/pages';
import { Section } from '../layout/section';

const timeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** Open conversations whose last word is the person's, the longest unanswered first, each a link into the inbox. */
export function WaitingSection({ pageId }: { pageId: string | null }) {
  const waiting = useWaitingConversations(pageId);
  const pages = usePages();
  const pageName = (id: string) => pages.data?.find((page) => page.id === id)?.name ?? 'a Page';
  const conversations = waiting.data?.conversations;
  return (
    <Section title="Waiting longest">
      {waiting.isError && <p className="text-red-700">{waiting.error.message}</p>}
      {conversations?.length === 0 && <p className="text-slate-600">Nobody is waiting for an answer.</p>}
      {conversations && conversations.length > 0 && (
        <ol className="divide-y divide-slate-200">
          {conversations.map((conversation) => (
            <li key={conversation.id} className="py-2">
              <Link
                to={`/inbox/${conversation.id}`}
                className="flex flex-wrap items-baseline gap-x-2 rounded hover:bg-slate-50"
              >
                <span className="font-medium text-brand-700 underline">{conversation.subscriberName}</span>
                <span className="text-sm text-slate-600">
                  on {pageName(conversation.pageId)}, last wrote{' '}
                  {timeFormat.format(new Date(conversation.lastMessageAt))}
                </span>
                <span className="w-full truncate text-sm text-slate-700">{conversation.preview}</span>
              </Link>
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}
