import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { get, post } from './http';
import type { Button, Paged, QuickReply } from './types';

/** What /api/broadcasts answers: the broadcasts screen's one way to the server. */

export type BroadcastState =
  'draft' | 'scheduled' | 'sending' | 'paused' | 'completed' | 'cancelled' | 'failed';
export type BroadcastPurpose =
  'promotional' | 'CONFIRMED_EVENT_UPDATE' | 'POST_PURCHASE_UPDATE' | 'ACCOUNT_UPDATE';

export interface Card {
  title: string;
  subtitle?: string;
  imageUrl?: string;
  buttons?: Button[];
}
export type MessageContent = { quickReplies?: QuickReply[] } & (
  | { type: 'text'; text: string }
  | { type: 'buttons'; text: string; buttons: Button[] }
  | { type: 'image'; url: string }
  | { type: 'cards'; cards: Card[] }
);

export interface Audience {
  tags?: string[];
  customFields?: Record<string, string>;
  optInSources?: string[];
  lastInteractionAfter?: string;
  lastInteractionBefore?: string;
}

export interface Draft {
  name: string;
  pages: string[];
  content: MessageContent;
  audience: Audience;
  purpose: BroadcastPurpose;
}

export interface Totals {
  recipients: number;
  pending: number;
  sent: number;
  delivered: number;
  read: number;
  clicked: number;
  skipped: number;
  failed: number;
  unknown: number;
  clicks: number;
}

export interface Broadcast extends Draft {
  _id: string;
  state: BroadcastState;
  stateReason?: string;
  schedule: { kind: 'now' } | { kind: 'at'; localTime: string; timeZone: string; at: string };
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
  totals: Totals;
}

export type BroadcastSummary = Omit<Broadcast, 'content'> & { sparkline: number[] };

export interface Estimate {
  eligible: number;
  excluded: {
    filteredOut: number;
    unsubscribed: number;
    blocked: number;
    outsideWindow: number;
    pageNeedsReauth: number;
  };
}

export interface ContentCheck {
  counts: { path: string; count: number; limit: number; unit: 'characters' | 'items' }[];
  issues: { path: string; message: string }[];
}

export interface Results {
  timeline: {
    bucketSeconds: number;
    buckets: { at: string; sent: number; delivered: number; read: number; clicked: number }[];
  };
  failures: {
    status: 'skipped' | 'failed' | 'unknown';
    code: string | null;
    reason: string | null;
    count: number;
  }[];
}

export interface Recipient {
  id: string;
  pageId: string;
  psid: string;
  name: string | null;
  status: string;
  code: string | null;
  reason: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  readAt: string | null;
  clickedAt: string | null;
}

export function useBroadcastList() {
  return useInfiniteQuery({
    queryKey: ['broadcasts', 'list'],
    queryFn: ({ pageParam }) =>
      get<Paged<BroadcastSummary>>(`/api/broadcasts?limit=20${pageParam ? `&cursor=${pageParam}` : ''}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useBroadcast(id: string | undefined) {
  return useQuery({
    queryKey: ['broadcasts', 'one', id],
    queryFn: () => get<Broadcast>(`/api/broadcasts/${id}`),
    enabled: !!id,
    // Its totals move while it sends; the progress bar between two reads comes from the socket.
    refetchInterval: (query) => (query.state.data?.state === 'sending' ? 3_000 : false),
  });
}

export function useAudienceOptions() {
  return useQuery({
    queryKey: ['broadcasts', 'audience-options'],
    queryFn: () => get<{ tags: string[]; optInSources: string[] }>('/api/broadcasts/audience-options'),
    staleTime: 60_000,
  });
}

/** Keeps showing the last answer while the next is on its way, so counters and bars do not flicker. */
export function useContentCheck(content: MessageContent) {
  return useQuery({
    queryKey: ['broadcasts', 'content-check', content],
    queryFn: () => post<ContentCheck>('/api/broadcasts/content-check', { content }),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
}

export function useEstimate(draft: Pick<Draft, 'pages' | 'audience' | 'purpose'>) {
  return useQuery({
    queryKey: ['broadcasts', 'estimate', draft],
    queryFn: () => post<Estimate>('/api/broadcasts/estimate', draft),
    enabled: draft.pages.length > 0,
    placeholderData: keepPreviousData,
  });
}

export function useResults(id: string, refreshMs: number | false) {
  return useQuery({
    queryKey: ['broadcasts', 'results', id],
    queryFn: () => get<Results>(`/api/broadcasts/${id}/results`),
    refetchInterval: refreshMs,
  });
}

export function useRecipients(id: string, filter: { q: string; status: string }) {
  return useInfiniteQuery({
    queryKey: ['broadcasts', 'recipients', id, filter],
    queryFn: ({ pageParam }) => {
      const query = new URLSearchParams({ limit: '50' });
      if (filter.q) query.set('q', filter.q);
      if (filter.status) query.set('status', filter.status);
      if (pageParam) query.set('cursor', pageParam);
      return get<Paged<Recipient>>(`/api/broadcasts/${id}/recipients?${query.toString()}`);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}
