import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useBroadcast, type Broadcast } from '../api/broadcasts';
import { api, post } from '../api/http';
import { usePages } from '../api/pages';
import { BroadcastResults } from './broadcast-results';
import { Composer } from './composer';
import { ProgressBar, useSendProgress } from './send-progress';
import { purposeWords, stateWords } from './words';

const button =
  'rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100 disabled:opacity-50';

const yourTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

type Move = 'pause' | 'resume' | 'cancel' | 'edit';

/** Pause, resume, cancel, or take a scheduled broadcast back to draft: the moves its state allows. */
function Moves({ broadcast }: { broadcast: Broadcast }) {
  const client = useQueryClient();
  const move = useMutation({
    mutationFn: (to: Move) =>
      to === 'edit'
        ? api('PUT', `/api/broadcasts/${broadcast._id}`, {
            name: broadcast.name,
            pages: broadcast.pages,
            content: broadcast.content,
            audience: broadcast.audience,
            purpose: broadcast.purpose,
          })
        : post(`/api/broadcasts/${broadcast._id}/${to}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['broadcasts'] }),
  });
  const allowed: Record<string, { to: Move; label: string }[]> = {
    scheduled: [
      { to: 'edit', label: 'Back to draft' },
      { to: 'cancel', label: 'Cancel broadcast' },
    ],
    sending: [
      { to: 'pause', label: 'Pause' },
      { to: 'cancel', label: 'Cancel broadcast' },
    ],
    paused: [
      { to: 'resume', label: 'Resume' },
      { to: 'cancel', label: 'Cancel broadcast' },
    ],
  };
  const moves = allowed[broadcast.state] ?? [];
  if (moves.length === 0) return null;
  return (
    <div className="flex flex-wrap items-center gap-2">
      {moves.map(({ to, label }) => (
        <button
          key={to}
          type="button"
          className={button}
          disabled={move.isPending}
          onClick={() => move.mutate(to)}
        >
          {label}
        </button>
      ))}
      {move.isError && (
        <p role="alert" className="text-sm text-red-700">
          {move.error.message}
        </p>
      )}
    </div>
  );
}

function Header({ broadcast }: { broadcast: Broadcast }) {
  const pages = usePages();
  const names = broadcast.pages.map((id) => pages.data?.find((page) => page.id === id)?.name ?? 'a Page');
  const state = stateWords[broadcast.state];
  return (
    <header className="space-y-1">
      <p>
        <Link to="/broadcasts" className="text-sm text-brand-700 underline">
          All broadcasts
        </Link>
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="text-2xl font-semibold">{broadcast.name}</h1>
        <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${state.tone}`}>{state.label}</span>
      </div>
      <p className="text-sm text-slate-600">
        {purposeWords[broadcast.purpose].label} · {names.join(', ')}
      </p>
      {broadcast.schedule.kind === 'at' && broadcast.state === 'scheduled' && (
        <p className="text-sm">
          Scheduled for {broadcast.schedule.localTime.replace('T', ' ')} (
          {broadcast.schedule.timeZone.replaceAll('_', ' ')})
          <span className="text-slate-600">
            {' '}
            · {yourTime.format(new Date(broadcast.schedule.at))} your time
          </span>
        </p>
      )}
      {broadcast.stateReason && <p className="text-sm text-amber-900">{broadcast.stateReason}</p>}
    </header>
  );
}

function Sent({ broadcast }: { broadcast: Broadcast }) {
  const progress = useSendProgress(broadcast._id);
  return (
    <>
      <ProgressBar broadcast={broadcast} progress={progress} />
      <Moves broadcast={broadcast} />
      <BroadcastResults broadcast={broadcast} />
    </>
  );
}

/** One broadcast: its composer while a draft, then its schedule, progress and results. */
export function BroadcastDetail({ broadcastId }: { broadcastId: string }) {
  const broadcast = useBroadcast(broadcastId);
  if (broadcast.isPending) return <p className="text-slate-500">Loading…</p>;
  if (broadcast.isError) return <p className="text-red-700">{broadcast.error.message}</p>;
  const data = broadcast.data;
  return (
    <div className="space-y-4">
      <Header broadcast={data} />
      {data.state === 'draft' && <Composer key={data.updatedAt} broadcast={data} />}
      {data.state === 'scheduled' && <Moves broadcast={data} />}
      {!['draft', 'scheduled'].includes(data.state) && <Sent broadcast={data} />}
    </div>
  );
}
