import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, get, post } from './http';

/** One row of the server's X scope table (GET /api/x/scopes). */
export interface XScopeUse {
  scope: string;
  requested: boolean;
  use: string;
}

export interface XAccount {
  id: string;
  xUserId: string;
  username: string;
  name: string;
  ownerId: string;
  isOwner: boolean;
  scopes: string[];
  status: 'connected' | 'needs_reconnect' | 'revoked' | string;
  statusReason: string | null;
  sharing: { scope: 'workspace' | 'team' | 'private' | string; teamId: string | null };
  connectedAt: string;
  revokedAt: string | null;
}

export interface XAccountReport {
  accountId: string;
  posted: number;
  scheduled: number;
  refused: number;
  failed: number;
  totalReach: number;
  totalClicks: number;
  lastReach: number | null;
}

export interface XPost {
  id: string;
  accountId: string;
  username: string;
  text: string;
  sentText: string | null;
  status: 'scheduled' | 'posting' | 'posted' | 'refused' | 'failed' | 'cancelled' | string;
  reason: string | null;
  scheduledFor: string;
  /** While it waits for X's rate limit: until when. */
  waitingUntil: string | null;
  rateLimitDeferrals: number;
  postedAt: string | null;
  xPostId: string | null;
  xUrl: string | null;
  reach: number | null;
  clicks: number;
  links: { url: string; clicks: number }[];
  consent: { givenBy: string; givenAt: string; action: string; basis: string };
}

export interface XDraftCheck {
  weightedLength: number;
  maxLength: number;
  isValid: boolean;
  duplicateReason: string | null;
}

export function useXScopes() {
  return useQuery({
    queryKey: ['x', 'scopes'],
    queryFn: async () => (await get<{ data: XScopeUse[] }>('/api/x/scopes')).data,
    staleTime: Infinity,
  });
}

export function useXAccounts() {
  return useQuery({
    queryKey: ['x', 'accounts'],
    queryFn: async () => (await get<{ data: XAccount[] }>('/api/x/accounts')).data,
  });
}

export function useXAccountReport(accountId: string) {
  return useQuery({
    queryKey: ['x', 'report', accountId],
    queryFn: () => get<XAccountReport>(`/api/x/accounts/${accountId}/report`),
  });
}

/** Starts the connection and sends the browser to X's consent page. */
export function useConnectX() {
  return useMutation({
    mutationFn: () => post<{ authorizeUrl: string }>('/api/x/accounts/connect'),
    onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl),
  });
}

function useXChange<T, R>(change: (input: T) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSettled: () => client.invalidateQueries({ queryKey: ['x'] }),
  });
}

export const useChangeXSharing = (accountId: string) =>
  useXChange((sharing: { scope: string; teamId?: string }) =>
    api('PATCH', `/api/x/accounts/${accountId}`, sharing),
  );

export const useRevokeX = () =>
  useXChange((accountId: string) => api('DELETE', `/api/x/accounts/${accountId}`));

export const useShareToX = () =>
  useXChange((input: { accountId: string; text: string; scheduledFor?: string }) =>
    post<XPost>(`/api/x/accounts/${input.accountId}/posts`, {
      text: input.text,
      ...(input.scheduledFor ? { scheduledFor: input.scheduledFor } : {}),
    }),
  );

export const useCancelXPost = () => useXChange((postId: string) => post(`/api/x/posts/${postId}/cancel`));

export function useXPosts() {
  return useQuery({
    queryKey: ['x', 'posts'],
    queryFn: async () => (await get<{ data: XPost[] }>('/api/x/posts')).data,
    refetchInterval: 10_000,
  });
}

/** The server's count of a draft, as X counts it, and whether it repeats a recent post. */
export function useXDraftCheck(text: string, accountId: string | undefined) {
  return useQuery({
    queryKey: ['x', 'check', accountId ?? '', text],
    queryFn: () => post<XDraftCheck>('/api/x/compose/check', { text, ...(accountId ? { accountId } : {}) }),
    placeholderData: (previous) => previous,
  });
}
