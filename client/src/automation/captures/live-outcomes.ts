import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useEffect } from 'react';
import { outcomesKey } from '../../api/automation';
import type { CaptureOutcomeView, Paged } from '../../api/types';
import { pagewireSocket } from '../../realtime/socket';

type OutcomePages = InfiniteData<Paged<CaptureOutcomeView>, string | null>;

/**
 * While automation is open: each `capture:outcome` goes on top of its capture's log, once, and the captures (whose
 * counters the server counts) are fetched again.
 */
export function useLiveCaptureOutcomes(): void {
  const client = useQueryClient();
  useEffect(() => {
    const socket = pagewireSocket();
    const onOutcome = ({ captureId, outcome }: { captureId: string; outcome: CaptureOutcomeView }) => {
      client.setQueryData<OutcomePages>(outcomesKey(captureId), (cached) => {
        const [first, ...rest] = cached?.pages ?? [];
        if (!cached || !first) return cached;
        const known = cached.pages.some((page) => page.data.some((shown) => shown.id === outcome.id));
        return known ? cached : { ...cached, pages: [{ ...first, data: [outcome, ...first.data] }, ...rest] };
      });
      void client.invalidateQueries({ queryKey: ['captures'], exact: true });
    };
    socket.on('capture:outcome', onOutcome);
    return () => {
      socket.off('capture:outcome', onOutcome);
    };
  }, [client]);
}
