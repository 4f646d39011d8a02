import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { BroadcastState, Totals } from './broadcasts';
import { get } from './http';

/** What /api/overview answers: the home screen's panels, each one aggregate on the server. */

export interface OverviewScope {
  /** One Page, or every Page the member sees. */
  pageId: string | null;
  days: number;
}

export interface ActivityDay {
  day: string;
  conversations: number;
  received: number;
  sent: number;
}

export interface FirstResponseTimes {
  days: { day: string; medianSeconds: number | null; responses: number }[];
  medianSeconds: number | null;
  responses: number;
}

export interface SubscriberChanges {
  days: { day: string; gained: number; lost: number }[];
  gained: number;
  lost: number;
}

export interface WaitingConversation {
  id: string;
  pageId: string;
  subscriberName: string;
  lastMessageAt: string;
  preview: string;
  assigneeId: string | null;
}

export interface RunningBroadcast {
  id: string;
  name: string;
  state: BroadcastState;
  pageIds: string[];
  startedAt: string | null;
  totals: Totals;
}

/** Days start at midnight where the browser is. */
const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
/** The figures move as people write: asked again while the screen is open. */
const refetchInterval = 30_000;

function query(path: string, scope: Partial<OverviewScope>) {
  const params = new URLSearchParams();
  if (scope.pageId) params.set('pageId', scope.pageId);
  if (scope.days) {
    params.set('days', String(scope.days));
    params.set('tz', timeZone);
  }
  return `/api/overview/${path}?${params}`;
}

function useOverview<T>(path: string, scope: Partial<OverviewScope>) {
  return useQuery({
    queryKey: ['overview', path, scope],
    queryFn: () => get<T>(query(path, scope)),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
}

export const useActivity = (scope: OverviewScope) => useOverview<{ days: ActivityDay[] }>('activity', scope);
export const useFirstResponseTimes = (scope: OverviewScope) =>
  useOverview<FirstResponseTimes>('first-response', scope);
export const useSubscriberChanges = (scope: OverviewScope) =>
  useOverview<SubscriberChanges>('subscribers', scope);
export const useWaitingConversations = (pageId: string | null) =>
  useOverview<{ conversations: WaitingConversation[] }>('waiting', { pageId });
/** Only for members who may broadcast; the server answers 403 to anyone else. */
export const useRunningBroadcasts = (pageId: string | null) =>
  useOverview<{ broadcasts: RunningBroadcast[] }>('broadcasts', { pageId });
