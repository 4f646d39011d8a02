import type { ReactNode } from 'react';

/** A titled card of a screen, labelled by its heading (`id` defaults to one made from the title). */
export function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  const headingId = id ?? `section-${title.toLowerCase().replace(/\W+/gu, '-')}`;
  return (
    <section
      aria-labelledby={headingId}
      className="space-y-3 rounded-md border border-slate-200 bg-white p-4"
    >
      <h2 id={headingId} className="text-lg font-medium">
        {title}
      </h2>
      {children}
    </section>
  );
}
