/** A panel's headline numbers, each a label over its figure. */
export function KeyFigures({ items }: { items: { label: string; value: string | number }[] }) {
  return (
    <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3">
      {items.map((item) => (
        <li key={item.label} className="rounded-md bg-slate-50 px-3 py-2">
          <p className="text-sm text-slate-600">{item.label}</p>
          <p className="text-2xl font-semibold tabular-nums">{item.value}</p>
        </li>
      ))}
    </ul>
  );
}
