import { useState } from 'react';
import { Link } from 'react-router';
import { useCaptures } from '../../api/automation';
import { secondaryButton } from '../form-parts';
import { Section } from '../../layout/section';
import { CaptureForm } from './capture-form';
import { Counters } from './counters';
import { targetWords } from './capture-words';

/** The Page's comment captures with their live counters, and a new one. */
export function CapturesScreen({ pageId }: { pageId: string }) {
  const captures = useCaptures();
  const [adding, setAdding] = useState(false);
  const pageCaptures = captures.data?.filter((capture) => capture.page === pageId) ?? [];
  return (
    <div className="space-y-5">
      <Section title="Comment captures" id="captures-heading">
        <p className="text-sm text-slate-600">
          A capture answers people who comment on the Page’s posts with one private message each, and can
          reply publicly under the comment. Every comment it sees is in its log with the reason it was
          answered or not.
        </p>
        {captures.isPending && <p className="text-slate-500">Loading…</p>}
        {captures.isError && <p className="text-red-700">{captures.error.message}</p>}
        {captures.data && pageCaptures.length === 0 && (
          <p className="text-slate-600">No capture on this Page yet.</p>
        )}
        <ul aria-label="Captures" className="space-y-3">
          {pageCaptures.map((capture) => (
            <li
              key={capture._id}
              aria-label={capture.name}
              className="space-y-2 rounded-md border border-slate-200 p-3"
            >
              <div className="flex flex-wrap items-center gap-2">
                <h3 className="font-medium">
                  <Link
                    to={`/automation/captures/${capture._id}?page=${pageId}`}
                    className="text-brand-700 underline"
                  >
                    {capture.name}
                  </Link>
                </h3>
                {!capture.active && (
                  <span className="rounded-full bg-slate-200 px-2 py-0.5 text-xs">Paused</span>
                )}
              </div>
              <p className="text-sm text-slate-700">{targetWords(capture)}</p>
              <Counters counters={capture.counters} />
            </li>
          ))}
        </ul>
        {!adding && (
          <button type="button" onClick={() => setAdding(true)} className={secondaryButton}>
            New capture
          </button>
        )}
      </Section>
      {adding && <CaptureForm pageId={pageId} onDone={() => setAdding(false)} />}
    </div>
  );
}
