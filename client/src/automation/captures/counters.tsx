import type { CaptureCounters } from '../../api/automation';

/** The capture's counters as the server counted them; they move as comments come in (live-outcomes.ts). */
export function Counters({ counters }: { counters: CaptureCounters }) {
  const skipped = Object.values(counters.skipped).reduce((sum, count) => sum + count, 0);
  const items = [
    ['Comments seen', counters.commentsSeen],
    ['Replied privately', counters.repliedPrivately],
    ['Replied publicly', counters.repliedPublicly],
    ['Skipped', skipped],
  ] as const;
  return (
    <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
      {items.map(([label, value]) => (
        <div key={label} className="rounded-md bg-slate-50 p-2">
          <dt className="text-slate-600">{label}</dt>
          <dd className="text-lg font-semibold">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
