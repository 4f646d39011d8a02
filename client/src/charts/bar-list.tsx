/** Horizontal bars, one per row, longest first as given: a label above each bar and its count beside it. */
export interface Bar {
  key: string;
  label: string;
  /** Small print under the label: a code, a breakdown. */
  note?: string;
  value: number;
  colour: string;
}

export function BarList({ bars, label }: { bars: Bar[]; label: string }) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  return (
    <ul aria-label={label} className="space-y-3">
      {bars.map((bar) => (
        <li key={bar.key} className="space-y-1">
          <div className="flex items-baseline justify-between gap-2 text-sm">
            <span>{bar.label}</span>
            <span className="font-semibold tabular-nums">{bar.value}</span>
          </div>
          <div aria-hidden="true" className="h-2 w-full rounded bg-slate-100">
            <div
              className="h-2 rounded"
              style={{ width: `${(bar.value / max) * 100}%`, background: bar.colour }}
            />
          </div>
          {bar.note && <p className="text-xs text-slate-600">{bar.note}</p>}
        </li>
      ))}
    </ul>
  );
}
