import type { Results } from '../api/broadcasts';

/** Small charts drawn as plain SVG: the dashboard carries no chart library. */

export function Sparkline({ values, label }: { values: number[]; label: string }) {
  const width = 96;
  const height = 24;
  if (values.length === 0) return <span className="text-xs text-slate-500">—</span>;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const points = values.map(
    (value, i) => `${(i * step).toFixed(1)},${(height - (value / max) * (height - 2) - 1).toFixed(1)}`,
  );
  return (
    <svg role="img" aria-label={label} width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
      <polyline
        points={points.join(' ')}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        className="text-brand-600"
      />
    </svg>
  );
}

export const seriesColours = {
  sent: '#1f5fd6',
  delivered: '#0f766e',
  read: '#7c3aed',
  clicked: '#c2410c',
} as const;
type Series = keyof typeof seriesColours;

const timeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/**
 * Cumulative sent, delivered, read and clicked over the broadcast's run, one line each: from 0 at the start of the
 * first bucket to each bucket's running total at its end.
 */
export function TimelineChart({ timeline }: { timeline: Results['timeline'] }) {
  const { buckets, bucketSeconds } = timeline;
  const width = 640;
  const height = 200;
  const pad = { left: 40, right: 12, top: 10, bottom: 28 };
  const series = Object.keys(seriesColours) as Series[];
  const running = Object.fromEntries(series.map((name) => [name, 0])) as Record<Series, number>;
  const points = [
    { ...running },
    ...buckets.map((bucket) => {
      for (const name of series) running[name] += bucket[name];
      return { ...running };
    }),
  ];
  if (buckets.length === 0) return <p className="text-sm text-slate-600">Nothing has been sent yet.</p>;
  const max = Math.max(1, running.sent);
  const x = (i: number) => pad.left + (i / buckets.length) * (width - pad.left - pad.right);
  const y = (value: number) => pad.top + (1 - value / max) * (height - pad.top - pad.bottom);
  const start = new Date(buckets[0]!.at);
  const end = new Date(Date.parse(buckets.at(-1)!.at) + bucketSeconds * 1000);
  const summary = `Over time: ${series.map((name) => `${running[name]} ${name}`).join(', ')}.`;
  return (
    <figure className="space-y-2">
      <svg
        role="img"
        aria-label={summary}
        viewBox={`0 0 ${width} ${height}`}
        className="h-auto w-full max-w-2xl"
      >
        <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} stroke="#cbd5e1" />
        <text x={pad.left - 6} y={y(max) + 4} textAnchor="end" fontSize="11" fill="#475569">
          {max}
        </text>
        <text x={pad.left - 6} y={y(0) + 4} textAnchor="end" fontSize="11" fill="#475569">
          0
        </text>
        <text x={pad.left} y={height - 8} fontSize="11" fill="#475569">
          {timeFormat.format(start)}
        </text>
        <text x={width - pad.right} y={height - 8} textAnchor="end" fontSize="11" fill="#475569">
          {timeFormat.format(end)}
        </text>
        {series.map((name) => (
          <polyline
            key={name}
            fill="none"
            stroke={seriesColours[name]}
            strokeWidth="2"
            points={points.map((point, i) => `${x(i).toFixed(1)},${y(point[name]).toFixed(1)}`).join(' ')}
          />
        ))}
      </svg>
      <figcaption className="flex flex-wrap gap-4 text-sm">
        {series.map((name) => (
          <span key={name} className="flex items-center gap-1">
            <span
              aria-hidden="true"
              className="inline-block h-2 w-4 rounded"
              style={{ background: seriesColours[name] }}
            />
            {name[0]!.toUpperCase() + name.slice(1)}: {running[name]}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
