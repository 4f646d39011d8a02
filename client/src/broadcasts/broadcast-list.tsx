import { Link } from 'react-router';
import { useBroadcastList, type BroadcastSummary } from '../api/broadcasts';
import { usePages } from '../api/pages';
import { Sparkline } from '../charts/sparkline';
import { optInSourceWords, purposeWords, stateWords } from './words';

const created = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

/** The audience in a few words: who it selects, beyond the Pages. */
function audienceWords(broadcast: BroadcastSummary): string {
  const { audience } = broadcast;
  const parts = [
    audience.tags?.length ? `tagged ${audience.tags.join(' + ')}` : '',
    Object.entries(audience.customFields ?? {})
      .map(([name, value]) => `${name} = ${value}`)
      .join(', '),
    audience.optInSources?.length
      ? `came by ${audience.optInSources.map((source) => optInSourceWords[source] ?? source).join(' or ')}`
      : '',
    audience.lastInteractionAfter || audience.lastInteractionBefore ? 'by last interaction' : '',
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'Everyone';
}

/** Every broadcast, newest first: state, Pages, audience, what it reached and a sparkline of its sends. */
export function BroadcastList() {
  const list = useBroadcastList();
  const pages = usePages();
  const pageName = (id: string) => pages.data?.find((page) => page.id === id)?.name ?? 'a Page';
  const rows = list.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">Broadcasts</h1>
        <Link
          to="/broadcasts/new"
          className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700"
        >
          New broadcast
        </Link>
      </div>
      {list.isPending && <p className="text-slate-500">Loading…</p>}
      {list.isError && <p className="text-red-700">{list.error.message}</p>}
      {list.isSuccess && rows.length === 0 && (
        <p className="text-slate-600">No broadcast yet. Start one with “New broadcast”.</p>
      )}
      {rows.length > 0 && (
        <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
          <table className="w-full min-w-[56rem] text-left text-sm">
            <thead className="border-b border-slate-200 text-slate-600">
              <tr>
                <th className="px-3 py-2 font-medium">Broadcast</th>
                <th className="px-3 py-2 font-medium">State</th>
                <th className="px-3 py-2 font-medium">Pages</th>
                <th className="px-3 py-2 font-medium">Audience</th>
                <th className="px-3 py-2 text-right font-medium">Sent</th>
                <th className="px-3 py-2 text-right font-medium">Delivered</th>
                <th className="px-3 py-2 text-right font-medium">Read</th>
                <th className="px-3 py-2 text-right font-medium">Clicked</th>
                <th className="px-3 py-2 font-medium">Sent over time</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((broadcast) => {
                const state = stateWords[broadcast.state];
                return (
                  <tr key={broadcast._id} className="border-b border-slate-100 last:border-0">
                    <td className="px-3 py-2">
                      <Link
                        to={`/broadcasts/${broadcast._id}`}
                        className="font-medium text-brand-700 underline"
                      >
                        {broadcast.name}
                      </Link>
                      <span className="block text-xs text-slate-600">
                        {purposeWords[broadcast.purpose].label} ·{' '}
                        {created.format(new Date(broadcast.createdAt))}
                      </span>
                    </td>
                    <td className="px-3 py-2">
                      <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${state.tone}`}>
                        {state.label}
                      </span>
                    </td>
                    <td className="px-3 py-2">{broadcast.pages.map(pageName).join(', ')}</td>
                    <td className="px-3 py-2">{audienceWords(broadcast)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{broadcast.totals.sent}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{broadcast.totals.delivered}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{broadcast.totals.read}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{broadcast.totals.clicked}</td>
                    <td className="px-3 py-2">
                      <Sparkline
                        values={broadcast.sparkline}
                        label={`${broadcast.totals.sent} messages sent over the run`}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage && (
        <button
          type="button"
          disabled={list.isFetchingNextPage}
          onClick={() => void list.fetchNextPage()}
          className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100"
        >
          Older broadcasts
        </button>
      )}
    </div>
  );
}
