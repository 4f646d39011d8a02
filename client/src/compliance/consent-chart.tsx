import { useConsentDays } from '../api/compliance';
import { LineChart } from '../charts/line-chart';

const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const dayLabel = (day: string) => dayFormat.format(new Date(`${day}T00:00:00Z`));

/** Opt-outs and opt-ins per day over the last 30 days (UTC days, as the server counts them). */
export function ConsentChart({ pageId }: { pageId: string }) {
  const consent = useConsentDays(pageId);
  if (consent.isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  if (consent.isError) return <p className="text-sm text-red-700">{consent.error.message}</p>;
  const { days, totals, from, to } = consent.data;
  return (
    <LineChart
      series={[
        {
          name: 'Opt-outs',
          colour: '#c2410c',
          values: days.map((day) => day.optOuts),
          figure: String(totals.optOuts),
        },
        {
          name: 'Opt-ins',
          colour: '#0f766e',
          values: days.map((day) => day.optIns),
          figure: String(totals.optIns),
        },
      ]}
      firstLabel={dayLabel(from)}
      lastLabel={dayLabel(to)}
      summary={`From ${dayLabel(from)} to ${dayLabel(to)}: ${totals.optOuts} opt-outs and ${totals.optIns} opt-ins.`}
    />
  );
}
