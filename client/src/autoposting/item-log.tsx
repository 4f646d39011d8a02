import { Link } from 'react-router';
import { useFeedItems } from '../api/autoposting';
import { fullDate } from '../inbox/time';
import { targetNames } from './targets';

const statusColour: Record<string, string> = {
  sent: 'text-green-800',
  skipped: 'text-slate-600',
  failed: 'text-red-800',
  sending: 'text-slate-600',
};

/** A feed's items, newest first: what each became on each target, and on what basis it went. */
export function ItemLog({ feedId, name }: { feedId: string; name: string }) {
  const items = useFeedItems(feedId);
  const list = items.data?.data ?? [];
  return (
    <section aria-labelledby="items-heading" className="space-y-2">
      <h2 id="items-heading" className="text-lg font-medium">
        Items of {name}
      </h2>
      {items.isPending && <p className="text-slate-500">Loading…</p>}
      {items.isError && <p className="text-red-700">{items.error.message}</p>}
      {items.data && list.length === 0 && <p className="text-sm text-slate-600">No item seen yet.</p>}
      <ul aria-label="Items" className="space-y-2">
        {list.map((item) => (
          <li key={item.id} className="space-y-1 rounded-md border border-slate-200 bg-white p-3 text-sm">
            <p className="font-medium break-words">
              {item.link ? (
                <a href={item.link} className="text-brand-700 underline" rel="noreferrer" target="_blank">
                  {item.title || item.link}
                </a>
              ) : (
                item.title || item.key
              )}
            </p>
            <p className="text-xs text-slate-600">Seen {fullDate(item.seenAt)}</p>
            {item.baseline ? (
              <p className="text-slate-600">
                Already in the feed when it was added: marked as seen, sent nowhere.
              </p>
            ) : (
              <ul className="space-y-1">
                {item.deliveries.map((delivery) => (
                  <li key={delivery.target}>
                    <span className="font-medium">{targetNames[delivery.target]}</span>:{' '}
                    <span className={statusColour[delivery.status]}>{delivery.status}</span>
                    {delivery.detail && <span className="text-slate-600"> — {delivery.detail}</span>}
                    {delivery.target === 'broadcast' && delivery.externalId && (
                      <>
                        {' '}
                        <Link to={`/broadcasts/${delivery.externalId}`} className="text-brand-700 underline">
                          Its results
                        </Link>
                      </>
                    )}
                    {delivery.basis && <p className="text-xs text-slate-600">Basis: {delivery.basis}</p>}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
