import { Link } from 'react-router';
import { useRunningBroadcasts, type RunningBroadcast } from '../api/overview';
import { ProgressBar, useSendProgress } from '../broadcasts/send-progress';
import { stateWords } from '../broadcasts/words';
import { Section } from '../layout/section';

function RunningBroadcastRow({ broadcast }: { broadcast: RunningBroadcast }) {
  const progress = useSendProgress(broadcast.id);
  const state = stateWords[progress?.state ?? broadcast.state];
  return (
    <li className="space-y-1 py-2">
      <div className="flex flex-wrap items-center gap-2">
        <Link to={`/broadcasts/${broadcast.id}`} className="font-medium text-brand-700 underline">
          {broadcast.name}
        </Link>
        <span className={`rounded px-2 py-0.5 text-xs font-medium ${state.tone}`}>{state.label}</span>
      </div>
      <ProgressBar broadcast={broadcast} progress={progress} />
    </li>
  );
}

/** Broadcasts sending or paused now, each with its live progress bar; for the members who may broadcast. */
export function RunningBroadcastsSection({ pageId }: { pageId: string | null }) {
  const running = useRunningBroadcasts(pageId);
  const broadcasts = running.data?.broadcasts;
  return (
    <Section title="Broadcasts running">
      {running.isError && <p className="text-red-700">{running.error.message}</p>}
      {broadcasts?.length === 0 && <p className="text-slate-600">No broadcast is sending right now.</p>}
      {broadcasts && broadcasts.length > 0 && (
        <ul className="divide-y divide-slate-200">
          {broadcasts.map((broadcast) => (
            <RunningBroadcastRow key={broadcast.id} broadcast={broadcast} />
          ))}
        </ul>
      )}
    </Section>
  );
}
