import { useState } from 'react';
import { auditExportUrl, useAuditLog, type AuditEntry, type AuditFilter } from '../api/compliance';
import { useMembers } from '../api/session';
import { useDebounced } from '../broadcasts/debounced';
import { actionKinds, actionWords, actorKinds, actorWords } from './words';

const when = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

const field = 'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm';

/** A broadcast entry's totals in a line; other entries need none beyond their basis. */
function summaryOf(entry: AuditEntry): string | null {
  const totals = entry.details?.totals as Record<string, number> | null | undefined;
  if (!entry.action.startsWith('broadcast.') || !totals) return null;
  return `${totals.sent ?? 0} sent, ${totals.delivered ?? 0} delivered, ${totals.skipped ?? 0} skipped, ${totals.failed ?? 0} failed`;
}

/** The audit log: filters, the Export CSV link with the same filters, and the entries newest first. */
export function AuditLog({ pageId, pageNames }: { pageId: string; pageNames: Map<string, string> }) {
  const [action, setAction] = useState('');
  const [actorKind, setActorKind] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [objectId, setObjectId] = useState('');
  const filter: AuditFilter = useDebounced({ pageId, action, actorKind, from, to, objectId }, 300);
  const log = useAuditLog(filter);
  const members = useMembers();
  const rows = log.data?.pages.flatMap((page) => page.data) ?? [];
  const who = (entry: AuditEntry) =>
    entry.actor.kind === 'user'
      ? (members.data?.get(entry.actor.id)?.name ?? 'A member')
      : `${actorWords(entry.actor.kind)} (${entry.actor.id})`;

  return (
    <section
      aria-labelledby="audit-heading"
      className="space-y-3 rounded-md border border-slate-200 bg-white p-4"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="audit-heading" className="text-lg font-medium">
          Audit log
        </h2>
        <a
          href={auditExportUrl(filter)}
          download
          className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700"
        >
          Export CSV
        </a>
      </div>
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-2 lg:grid-cols-5">
        <label className="flex flex-col text-sm">
          <span>Action</span>
          <select value={action} onChange={(event) => setAction(event.target.value)} className={field}>
            {actionKinds.map((kind) => (
              <option key={kind.value} value={kind.value}>
                {kind.label}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col text-sm">
          <span>Done by</span>
          <select value={actorKind} onChange={(event) => setActorKind(event.target.value)} className={field}>
            {actorKinds.map((kind) => (
              <option key={kind.value} value={kind.value}>
                {kind.label}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col text-sm">
          <span>From (UTC day)</span>
          <input
            type="date"
            value={from}
            onChange={(event) => setFrom(event.target.value)}
            className={field}
          />
        </label>
        <label className="flex flex-col text-sm">
          <span>To (UTC day)</span>
          <input type="date" value={to} onChange={(event) => setTo(event.target.value)} className={field} />
        </label>
        <label className="flex flex-col text-sm">
          <span>Object id</span>
          <input
            type="search"
            value={objectId}
            placeholder="Comment, message, broadcast…"
            onChange={(event) => setObjectId(event.target.value)}
            className={field}
          />
        </label>
      </div>
      {log.isError && <p className="text-sm text-red-700">{log.error.message}</p>}
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Audit log entries">
        <table className="w-full min-w-[48rem] text-left text-sm">
          <thead className="border-b border-slate-200 text-slate-600">
            <tr>
              <th className="py-1 pr-2 font-medium">When</th>
              <th className="py-1 pr-2 font-medium">Page</th>
              <th className="py-1 pr-2 font-medium">Action</th>
              <th className="py-1 pr-2 font-medium">Done by</th>
              <th className="py-1 pr-2 font-medium">On</th>
              <th className="py-1 pr-2 font-medium">Consent basis</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((entry) => (
              <tr key={entry.id} className="border-b border-slate-100 align-top">
                <td className="py-1 pr-2 whitespace-nowrap">
                  <time dateTime={entry.at}>{when.format(new Date(entry.at))}</time>
                </td>
                <td className="py-1 pr-2">
                  {entry.pageId ? (pageNames.get(entry.pageId) ?? 'A Page no longer connected') : 'Workspace'}
                </td>
                <td className="py-1 pr-2">
                  {actionWords(entry.action)}
                  <span className="block text-xs text-slate-600">{entry.action}</span>
                </td>
                <td className="py-1 pr-2 break-all">{who(entry)}</td>
                <td className="py-1 pr-2 break-all">
                  {entry.object.kind}
                  <span className="block text-xs text-slate-600">{entry.object.id}</span>
                </td>
                <td className="py-1 pr-2">
                  {entry.basis}
                  {summaryOf(entry) && (
                    <span className="block text-xs text-slate-600">{summaryOf(entry)}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {log.isSuccess && rows.length === 0 && <p className="text-sm text-slate-600">No entry matches.</p>}
      {log.hasNextPage && (
        <button
          type="button"
          disabled={log.isFetchingNextPage}
          onClick={() => void log.fetchNextPage()}
          className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100"
        >
          Older entries
        </button>
      )}
    </section>
  );
}
