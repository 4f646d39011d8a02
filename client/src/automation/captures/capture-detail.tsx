import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useCaptures, useOutcomes } from '../../api/automation';
import { api } from '../../api/http';
import { SaveIssues, issuesOf, secondaryButton } from '../form-parts';
import { Section } from '../../layout/section';
import { CaptureForm } from './capture-form';
import { targetWords } from './capture-words';
import { Counters } from './counters';

const when = (iso: string) =>
  new Date(iso).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** One capture: what it does and a form to change it, its counters and its log of every comment, all live. */
export function CaptureDetail() {
  const { captureId = '' } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const captures = useCaptures();
  const capture = captures.data?.find((candidate) => candidate._id === captureId);
  const back = `/automation/captures?${params}`;
  const refresh = () => client.invalidateQueries({ queryKey: ['captures'], exact: true });
  const toggle = useMutation({
    mutationFn: (active: boolean) => api('PATCH', `/api/captures/${captureId}`, { active }),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: () => api('DELETE', `/api/captures/${captureId}`),
    onSuccess: async () => {
      await refresh();
      navigate(back);
    },
  });

  if (captures.isPending) return <p className="text-slate-500">Loading…</p>;
  if (captures.isError) return <p className="text-red-700">{captures.error.message}</p>;
  if (!capture)
    return (
      <p className="text-slate-600">
        No such capture.{' '}
        <Link to={back} className="text-brand-700 underline">
          All captures
        </Link>
      </p>
    );
  const show = (label: string, list: string[]) =>
    list.length > 0 && (
      <p>
        <span className="font-medium">{label}:</span> {list.join(', ')}
      </p>
    );

  return (
    <div className="space-y-5">
      <Link to={back} className="text-sm text-brand-700 underline">
        ← All captures
      </Link>
      <Section title={capture.name} id="capture-heading">
        <div className="space-y-1 text-sm text-slate-700">
          <p>{targetWords(capture)}</p>
          {show('Only comments with', capture.includeKeywords)}
          {show('Never comments with', capture.excludeKeywords)}
          {show('Sensitive words', capture.sensitiveWords)}
          <p>
            <span className="font-medium">Private reply:</span> {capture.privateReply.text}
          </p>
          {show('Public replies', capture.publicReplies)}
          {capture.followUp && (
            <p>
              <span className="font-medium">Follow-up:</span> {capture.followUp.text}
            </p>
          )}
        </div>
        <Counters counters={capture.counters} />
        <div className="flex flex-wrap gap-2">
          <button
            type="button"
            disabled={editing}
            onClick={() => setEditing(true)}
            className={secondaryButton}
          >
            Edit the capture
          </button>
          <button
            type="button"
            disabled={toggle.isPending || editing}
            onClick={() => toggle.mutate(!capture.active)}
            className={secondaryButton}
          >
            {capture.active ? 'Pause the capture' : 'Resume the capture'}
          </button>
          <button
            type="button"
            disabled={remove.isPending}
            onClick={() => remove.mutate()}
            className={secondaryButton}
          >
            Delete the capture
          </button>
        </div>
        <SaveIssues issues={issuesOf(toggle.error ?? remove.error)} fieldName={(path) => path} />
      </Section>
      {editing && <CaptureForm pageId={capture.page} capture={capture} onDone={() => setEditing(false)} />}
      <OutcomeLog captureId={captureId} />
    </div>
  );
}

function OutcomeLog({ captureId }: { captureId: string }) {
  const outcomes = useOutcomes(captureId);
  const rows = outcomes.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <Section title="Every comment, and why" id="outcomes-heading">
      {outcomes.isPending && <p className="text-slate-500">Loading…</p>}
      {outcomes.isError && <p className="text-red-700">{outcomes.error.message}</p>}
      {outcomes.data && rows.length === 0 && (
        <p className="text-slate-600">No comment yet. Each one appears here as it comes in.</p>
      )}
      {rows.length > 0 && (
        <ol aria-label="Outcome log" className="divide-y divide-slate-200">
          {rows.map((outcome) => (
            <li key={outcome.id} className="flex flex-wrap gap-x-3 gap-y-1 py-2 text-sm">
              <span
                className={`rounded-full px-2 py-0.5 text-xs font-medium ${
                  outcome.result === 'replied'
                    ? 'bg-emerald-100 text-emerald-900'
                    : 'bg-amber-100 text-amber-900'
                }`}
              >
                {outcome.result === 'replied' ? 'Replied' : 'Skipped'}
              </span>
              <span className="text-slate-600">{when(outcome.at)}</span>
              <span className="font-medium">{outcome.authorName ?? 'Someone'}</span>
              {outcome.text && <q className="text-slate-800">{outcome.text}</q>}
              <span className="basis-full text-slate-700">
                {outcome.result === 'replied' ? '' : 'Skipped because: '}
                {outcome.basis}
              </span>
            </li>
          ))}
        </ol>
      )}
      {outcomes.hasNextPage && (
        <button
          type="button"
          disabled={outcomes.isFetchingNextPage}
          onClick={() => void outcomes.fetchNextPage()}
          className={secondaryButton}
        >
          Older comments
        </button>
      )}
    </Section>
  );
}
