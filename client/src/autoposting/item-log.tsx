import { Link } from 'react-router';
import { useFeedItems, useSendDeliveryAgain, type AutopostDelivery } from '../api/autoposting';
import { fullDate } from '../inbox/time';
import { targetNames } from './targets';

const statusColour: Record<string, string> = {
  sent: 'text-green-800',
  skipped: 'text-slate-600',
  failed: 'text-red-800',
  sending: 'text-slate-600',
  accepted: 'text-slate-700',
  interrupted: 'text-amber-800',
};

/** An X share's live status beside what the delivery was when it was handed over. */
function xShareNow(share: NonNullable<AutopostDelivery['xShare']>): string {
  if (share.waitingUntil) return `waiting for X's rate limit until ${fullDate(share.waitingUntil)}`;
  return share.reason ? `${share.status}: ${share.reason}` : share.status;
}

/** Interrupted: Pagewire cannot know whether it went, so only an admin who checked sends it again. */
function SendAgain({ delivery }: { delivery: AutopostDelivery }) {
  const sendAgain = useSendDeliveryAgain();
  return (
    <span className="ml-2 inline-flex flex-wrap items-center gap-2">
      <button
        type="button"
        onClick={() => sendAgain.mutate(delivery.id)}
        disabled={sendAgain.isPending}
        className="rounded-md border border-slate-300 px-2 py-0.5 hover:bg-slate-100 disabled:opacity-50"
      >
        Send again
      </button>
      {sendAgain.isError && (
        <span role="alert" className="text-red-700">
          {sendAgain.error.message}
        </span>
      )}
    </span>
  );
}

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
                    {delivery.status === 'interrupted' && <SendAgain delivery={delivery} />}
                    {delivery.xShare && (
                      <p className="text-xs text-slate-700">On X now: {xShareNow(delivery.xShare)}</p>
                    )}
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
