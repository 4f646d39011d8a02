import { useChangeFeed, useDeleteFeed, usePollFeed, type AutopostFeed } from '../api/autoposting';
import { fullDate } from '../inbox/time';
import { targetNames } from './targets';
import { XConsent } from './x-consent';

const button = 'rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 disabled:opacity-50';

function lastRead(feed: AutopostFeed): string {
  if (!feed.active) return 'Paused';
  if (!feed.lastPolledAt) return 'Not read yet';
  return feed.lastError
    ? `Last read ${fullDate(feed.lastPolledAt)} failed: ${feed.lastError}`
    : `Last read ${fullDate(feed.lastPolledAt)}`;
}

/** One feed: its Page and targets, how its reads go, what it sent, and its controls. */
export function FeedCard({
  feed,
  wording,
  selected,
  onShowItems,
}: {
  feed: AutopostFeed;
  wording: string;
  selected: boolean;
  onShowItems(): void;
}) {
  const change = useChangeFeed(feed.id);
  const read = usePollFeed(feed.id);
  const remove = useDeleteFeed();
  const error = change.error ?? read.error ?? remove.error;

  return (
    <li className="space-y-2 rounded-md border border-slate-200 bg-white p-3 text-sm">
      <h3 className="font-medium">{feed.name}</h3>
      {feed.sourcePage ? (
        <p>
          The posts of <strong>{feed.sourcePage.name ?? 'a Page no longer connected'}</strong>
        </p>
      ) : (
        <p className="font-mono text-xs break-all">{feed.url}</p>
      )}
      <p>
        On <strong>{feed.page.name ?? 'a Page no longer connected'}</strong>, read every{' '}
        {feed.pollEveryMinutes} minutes.
      </p>
      <p className={feed.lastError ? 'text-red-800' : 'text-slate-700'}>{lastRead(feed)}</p>
      <p className="text-slate-700">{feed.itemsSeen} items seen.</p>
      <ul aria-label={`What ${feed.name} sent`} className="flex flex-wrap gap-2">
        {feed.targets.map((target) => {
          const tally = feed.deliveries[target] ?? {};
          return (
            <li key={target} className="rounded-md bg-slate-100 px-2 py-1">
              {targetNames[target]}: {tally.sent ?? 0} sent
              {tally.skipped ? `, ${tally.skipped} skipped` : ''}
              {tally.failed ? `, ${tally.failed} failed` : ''}
              {tally.accepted ? `, ${tally.accepted} accepted (waited for X's rate limit)` : ''}
              {tally.interrupted ? `, ${tally.interrupted} interrupted` : ''}
            </li>
          );
        })}
      </ul>
      {feed.targets.includes('x_share') && <XConsent feed={feed} wording={wording} />}
      <div className="flex flex-wrap gap-2">
        <button type="button" className={button} aria-pressed={selected} onClick={onShowItems}>
          Items
        </button>
        <button
          type="button"
          className={button}
          disabled={read.isPending || !feed.active}
          onClick={() => read.mutate(undefined)}
        >
          Read now
        </button>
        <button
          type="button"
          className={button}
          disabled={change.isPending}
          onClick={() => change.mutate({ active: !feed.active })}
        >
          {feed.active ? 'Pause' : 'Resume'}
        </button>
        <button
          type="button"
          className={button}
          disabled={remove.isPending}
          onClick={() => {
            if (window.confirm(`Delete the feed ${feed.name} and the items it saw?`)) remove.mutate(feed.id);
          }}
        >
          Delete
        </button>
      </div>
      {read.data && (
        <p role="status" className={read.data.ok ? 'text-green-800' : 'text-red-800'}>
          {read.data.ok
            ? `Read ${read.data.entries} items: ${read.data.newItems} new${
                read.data.baselineItems ? `, ${read.data.baselineItems} already there marked as seen` : ''
              }.`
            : read.data.problem}
        </p>
      )}
      {error && (
        <p role="alert" className="text-red-700">
          {error.message}
        </p>
      )}
    </li>
  );
}
