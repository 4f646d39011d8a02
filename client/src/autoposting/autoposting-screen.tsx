import { useState } from 'react';
import { useAutopostFeeds } from '../api/autoposting';
import { useMe } from '../api/session';
import { FeedCard } from './feed-card';
import { FeedForm } from './feed-form';
import { ItemLog } from './item-log';

/** The admins' screen: feeds read on a schedule, where their new items go, and what each item became. */
export default function AutopostingScreen() {
  const me = useMe();
  const feeds = useAutopostFeeds();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  if (me.data?.role !== 'admin')
    return <p className="p-4 text-slate-600">Only the workspace’s admins manage autoposting.</p>;
  const list = feeds.data?.data ?? [];
  const selected = list.find((feed) => feed.id === selectedId) ?? list[0];

  return (
    <div className="mx-auto max-w-4xl space-y-6 p-4">
      <h1 className="text-2xl font-semibold">Autoposting</h1>
      <p className="text-sm text-slate-600">
        Pagewire reads each feed (a feed URL, or the posts one of your Pages publishes) on its schedule and
        sends every new item once. What a feed already holds when you add it is marked as seen and sent
        nowhere. A broadcast reaches only people who interacted with the Page in the last 24 hours; sharing on
        X needs the X account owner’s standing consent, which they can revoke at any time.
      </p>
      <FeedForm />
      <section aria-labelledby="feeds-heading" className="space-y-3">
        <h2 id="feeds-heading" className="text-lg font-medium">
          Feeds
        </h2>
        {feeds.isPending && <p className="text-slate-500">Loading…</p>}
        {feeds.isError && <p className="text-red-700">{feeds.error.message}</p>}
        {feeds.data && list.length === 0 && <p className="text-sm text-slate-600">No feed yet.</p>}
        <ul aria-label="Feeds" className="space-y-3">
          {list.map((feed) => (
            <FeedCard
              key={feed.id}
              feed={feed}
              wording={feeds.data?.xConsentWording ?? ''}
              selected={feed.id === selected?.id}
              onShowItems={() => setSelectedId(feed.id)}
            />
          ))}
        </ul>
      </section>
      {selected && <ItemLog key={selected.id} feedId={selected.id} name={selected.name} />}
    </div>
  );
}
