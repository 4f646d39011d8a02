import { useRefusals } from '../api/compliance';
import { BarList } from '../charts/bar-list';
import { sourceWords } from './words';

const colours = { policy: '#1f5fd6', meta: '#c2410c' } as const;

/** Sends our policy or Meta refused in the last 30 days, grouped by reason, most frequent first. */
export function RefusalBars({ pageId }: { pageId: string }) {
  const refusals = useRefusals(pageId);
  if (refusals.isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  if (refusals.isError) return <p className="text-sm text-red-700">{refusals.error.message}</p>;
  const { data, total } = refusals.data;
  if (total === 0) return <p className="text-sm text-slate-600">No send was refused in the last 30 days.</p>;
  return (
    <>
      <p className="text-sm text-slate-600">
        {total} refused in the last 30 days. Blue: our policy held the message back; orange: Meta refused it.
      </p>
      <BarList
        label="Refused sends by reason"
        bars={data.map((group) => ({
          key: group.reason,
          label: group.description,
          note: [
            group.by === 'policy' ? `Policy: ${group.code}` : `Meta: ${group.code}`,
            group.metaCode !== null ? `code ${group.metaCode}` : null,
            `from ${Object.keys(group.bySource).map(sourceWords).join(', ')}`,
          ]
            .filter(Boolean)
            .join(' · '),
          value: group.count,
          colour: colours[group.by],
        }))}
      />
    </>
  );
}
