import type { Results } from '../api/broadcasts';
import { LineChart } from '../charts/line-chart';

const seriesColours = {
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
  if (buckets.length === 0) return <p className="text-sm text-slate-600">Nothing has been sent yet.</p>;
  const names = Object.keys(seriesColours) as Series[];
  const running = Object.fromEntries(names.map((name) => [name, 0])) as Record<Series, number>;
  const points = [
    { ...running },
    ...buckets.map((bucket) => {
      for (const name of names) running[name] += bucket[name];
      return { ...running };
    }),
  ];
  const start = new Date(buckets[0]!.at);
  const end = new Date(Date.parse(buckets.at(-1)!.at) + bucketSeconds * 1000);
  return (
    <LineChart
      series={names.map((name) => ({
        name: name[0]!.toUpperCase() + name.slice(1),
        colour: seriesColours[name],
        values: points.map((point) => point[name]),
        figure: String(running[name]),
      }))}
      firstLabel={timeFormat.format(start)}
      lastLabel={timeFormat.format(end)}
      summary={`Over time: ${names.map((name) => `${running[name]} ${name}`).join(', ')}.`}
    />
  );
}
