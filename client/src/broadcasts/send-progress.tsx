import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Broadcast } from '../api/broadcasts';
import type { ServerToClientEvents } from '../api/types';
import { pagewireSocket } from '../realtime/socket';

type ProgressEvent = Parameters<ServerToClientEvents['broadcast:progress']>[0];

/**
 * The latest `broadcast:progress` of one broadcast, from the socket (the server sends it every second while it
 * sends). When the broadcast stops sending, its stored state and totals are fetched again.
 */
export function useSendProgress(broadcastId: string): ProgressEvent | null {
  const client = useQueryClient();
  const [latest, setLatest] = useState<ProgressEvent | null>(null);
  useEffect(() => {
    const socket = pagewireSocket();
    let state: string | null = null;
    const onProgress = (event: ProgressEvent) => {
      if (event.broadcastId !== broadcastId) return;
      setLatest(event);
      if (event.state !== state) {
        state = event.state;
        void client.invalidateQueries({ queryKey: ['broadcasts'] });
      }
    };
    socket.on('broadcast:progress', onProgress);
    return () => {
      socket.off('broadcast:progress', onProgress);
    };
  }, [broadcastId, client]);
  return latest;
}

const secondsWords = (seconds: number) =>
  seconds < 90
    ? `${seconds} s`
    : seconds < 5400
      ? `${Math.round(seconds / 60)} min`
      : `${Math.round(seconds / 3600)} h`;

/** The bar: how many of the audience have their outcome, at what rate, and about how long is left. */
export function ProgressBar({
  broadcast,
  progress,
}: {
  broadcast: Pick<Broadcast, 'state' | 'totals'>;
  progress: ProgressEvent | null;
}) {
  const totals = broadcast.totals;
  const fromTotals = {
    done: totals.sent + totals.skipped + totals.failed + totals.unknown,
    remaining: totals.pending,
  };
  const live = progress && {
    done: progress.sent + progress.skipped + progress.failed + progress.unknown,
    remaining: progress.remaining,
  };
  // Whichever has seen more: the socket while sending, the stored totals once it has stopped.
  const shown = live && live.done >= fromTotals.done ? live : fromTotals;
  const total = shown.remaining === null ? null : shown.done + shown.remaining;
  const finished = broadcast.state === 'completed' || progress?.state === 'completed';
  const percent = total ? Math.round((shown.done / total) * 100) : finished ? 100 : 0;
  const sending = (progress?.state ?? broadcast.state) === 'sending';
  return (
    <div className="space-y-1">
      <div
        role="progressbar"
        aria-label="Sending progress"
        aria-valuemin={0}
        aria-valuemax={total ?? undefined}
        aria-valuenow={shown.done}
        aria-valuetext={total === null ? `${shown.done} sent so far` : `${shown.done} of ${total}`}
        className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div className="h-full bg-brand-600 transition-[width]" style={{ width: `${percent}%` }} />
      </div>
      <p className="text-sm text-slate-700">
        {total === null
          ? `${shown.done} done, counting the audience…`
          : `${shown.done} of ${total} done (${percent}%)`}
        {sending && progress && progress.ratePerSecond > 0 && (
          <>
            {' '}
            · {progress.ratePerSecond}/s
            {progress.etaSeconds !== null && <> · about {secondsWords(progress.etaSeconds)} left</>}
          </>
        )}
      </p>
    </div>
  );
}
