import { useState } from 'react';
import { useRecipients, useResults, type Broadcast, type Totals } from '../api/broadcasts';
import { TimelineChart } from './timeline-chart';
import { useDebounced } from './debounced';
import { recipientStatusWords } from './words';

const sentAt = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

const tiles: { key: keyof Totals; label: string }[] = [
  { key: 'recipients', label: 'Recipients' },
  { key: 'sent', label: 'Sent' },
  { key: 'delivered', label: 'Delivered' },
  { key: 'read', label: 'Read' },
  { key: 'clicked', label: 'Clicked' },
  { key: 'skipped', label: 'Skipped' },
  { key: 'failed', label: 'Failed' },
];

function TotalsTiles({ totals }: { totals: Totals }) {
  const rate = (n: number) => (totals.sent > 0 ? ` (${Math.round((n / totals.sent) * 100)}%)` : '');
  return (
    <dl aria-label="Totals" className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-7">
      {tiles.map(({ key, label }) => (
        <div key={key} className="rounded-md border border-slate-200 bg-white p-2">
          <dt className="text-xs text-slate-600">{label}</dt>
          <dd className="text-lg font-semibold tabular-nums">
            {totals[key]}
            {['delivered', 'read', 'clicked'].includes(key) && (
              <span className="ml-1 text-xs font-normal text-slate-600">{rate(totals[key])}</span>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Recipients({ broadcastId }: { broadcastId: string }) {
  const [q, setQ] = useState('');
  const [status, setStatus] = useState('');
  const filter = useDebounced({ q: q.trim(), status }, 300);
  const recipients = useRecipients(broadcastId, filter);
  const rows = recipients.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <section aria-labelledby="recipients-heading" className="space-y-2">
      <h3 id="recipients-heading" className="font-medium">
        Recipients
      </h3>
      <div className="flex flex-wrap gap-2">
        <input
          type="search"
          aria-label="Search recipients by name or PSID"
          placeholder="Name or PSID"
          value={q}
          onChange={(event) => setQ(event.target.value)}
          className="rounded-md border border-slate-300 px-2 py-1 text-sm"
        />
        <select
          aria-label="Outcome"
          value={status}
          onChange={(event) => setStatus(event.target.value)}
          className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
        >
          <option value="">Every outcome</option>
          {Object.entries(recipientStatusWords)
            .filter(([value]) => value !== 'pending')
            .map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
        </select>
      </div>
      <div className="overflow-x-auto">
        <table className="w-full min-w-[36rem] text-left text-sm">
          <thead className="border-b border-slate-200 text-slate-600">
            <tr>
              <th className="py-1 pr-2 font-medium">Person</th>
              <th className="py-1 pr-2 font-medium">Outcome</th>
              <th className="py-1 pr-2 font-medium">Sent</th>
              <th className="py-1 pr-2 font-medium">Why not</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} className="border-b border-slate-100">
                <td className="py-1 pr-2">
                  {row.name ?? 'Unknown name'}
                  <span className="block text-xs text-slate-600">PSID {row.psid}</span>
                </td>
                <td className="py-1 pr-2">{recipientStatusWords[row.status] ?? row.status}</td>
                <td className="py-1 pr-2">{row.sentAt ? sentAt.format(new Date(row.sentAt)) : '—'}</td>
                <td className="py-1 pr-2">
                  {row.reason ?? ''}
                  {row.code && <span className="block text-xs text-slate-600">{row.code}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {recipients.isSuccess && rows.length === 0 && <p className="text-sm text-slate-600">Nobody matches.</p>}
      {recipients.isError && <p className="text-sm text-red-700">{recipients.error.message}</p>}
      {recipients.hasNextPage && (
        <button
          type="button"
          disabled={recipients.isFetchingNextPage}
          onClick={() => void recipients.fetchNextPage()}
          className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100"
        >
          More recipients
        </button>
      )}
    </section>
  );
}

/** What the broadcast did: totals, the curves over time, failures by reason and Meta's code, every recipient. */
export function BroadcastResults({ broadcast }: { broadcast: Broadcast }) {
  const sending = broadcast.state === 'sending';
  const results = useResults(broadcast._id, sending ? 5_000 : false);
  return (
    <section
      aria-labelledby="results-heading"
      className="space-y-4 rounded-md border border-slate-200 bg-white p-4"
    >
      <h2 id="results-heading" className="text-lg font-medium">
        Results
      </h2>
      <TotalsTiles totals={broadcast.totals} />
      {results.data && <TimelineChart timeline={results.data.timeline} />}
      {results.isError && <p className="text-sm text-red-700">{results.error.message}</p>}
      <section aria-labelledby="failures-heading" className="space-y-2">
        <h3 id="failures-heading" className="font-medium">
          Not delivered, by reason
        </h3>
        {results.data?.failures.length === 0 && <p className="text-sm text-slate-600">Nothing went wrong.</p>}
        {results.data && results.data.failures.length > 0 && (
          <div className="overflow-x-auto">
            <table className="w-full min-w-[30rem] text-left text-sm">
              <thead className="border-b border-slate-200 text-slate-600">
                <tr>
                  <th className="py-1 pr-2 font-medium">People</th>
                  <th className="py-1 pr-2 font-medium">Outcome</th>
                  <th className="py-1 pr-2 font-medium">Meta’s code</th>
                  <th className="py-1 pr-2 font-medium">Reason</th>
                </tr>
              </thead>
              <tbody>
                {results.data.failures.map((failure) => (
                  <tr
                    key={`${failure.status}:${failure.code}:${failure.reason}`}
                    className="border-b border-slate-100"
                  >
                    <td className="py-1 pr-2 tabular-nums">{failure.count}</td>
                    <td className="py-1 pr-2">{recipientStatusWords[failure.status]}</td>
                    <td className="py-1 pr-2">{failure.code ?? '—'}</td>
                    <td className="py-1 pr-2">{failure.reason ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <Recipients broadcastId={broadcast._id} />
    </section>
  );
}
