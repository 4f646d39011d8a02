import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, get, post } from './http';

export type XAdsMetricKind = 'campaign' | 'account';
export type SharingScope = 'workspace' | 'team' | 'private';

/** One row of the server's role table: X's permission, the name X shows, and what it lets Pagewire read. */
export interface XAdsRole {
  permission: string;
  label: string;
  metrics: XAdsMetricKind[];
}

export interface XAdsConnection {
  id: string;
  name: string;
  status: 'active' | 'needs_reconnect';
  statusReason: string | null;
  xUser: { id: string; screenName: string };
  connectedAt: string;
  connectedBy: { id: string; name: string | null };
  sharing: { scope: SharingScope; teamId: string | null };
  lastPulledAt: string | null;
  /** An admin, or the person who connected it: may rename, re-share and disconnect. */
  mayChange: boolean;
  accounts: { accountId: string; name: string; roles: string[]; metricsOffered: XAdsMetricKind[] }[];
}

export interface XAdsDay {
  day: string;
  impressions: number;
  engagements: number;
  clicks: number;
  billedCharge: number;
}

export interface XAdsAccountMetrics {
  accountId: string;
  name: string;
  currency: string;
  roles: string[];
  metricsOffered: XAdsMetricKind[];
  account: XAdsDay[];
  campaigns: { id: string; name: string; days: XAdsDay[] }[];
}

export interface XAdsSharing {
  scope: SharingScope;
  teamId?: string;
}

const connectionsKey = ['x-ads', 'connections'];

export function useXAdsRoles() {
  return useQuery({
    queryKey: ['x-ads', 'roles'],
    queryFn: async () => (await get<{ data: XAdsRole[] }>('/api/x-ads/roles')).data,
    staleTime: Infinity,
  });
}

export function useXAdsConnections() {
  return useQuery({
    queryKey: connectionsKey,
    queryFn: () =>
      get<{ data: XAdsConnection[]; can: { connect: boolean; pull: boolean } }>('/api/x-ads/connections'),
  });
}

/** Starts connecting: the server asks X for a request token and answers X's authorize page to go to. */
export function useStartXAdsConnection() {
  return useMutation({
    mutationFn: (draft: { name: string; sharing: XAdsSharing }) =>
      post<{ authorizeUrl: string }>('/api/x-ads/connections', draft),
    onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl),
  });
}

export function useChangeXAdsConnection(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: { name?: string; sharing?: XAdsSharing }) =>
      api<XAdsConnection>('PATCH', `/api/x-ads/connections/${id}`, change),
    onSettled: () => client.invalidateQueries({ queryKey: connectionsKey }),
  });
}

export function useDisconnectXAds(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api('DELETE', `/api/x-ads/connections/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['x-ads'] }),
  });
}

const metricsKey = (id: string) => ['x-ads', 'metrics', id];

export function useXAdsMetrics(id: string) {
  return useQuery({
    queryKey: metricsKey(id),
    queryFn: async () =>
      (await get<{ data: XAdsAccountMetrics[] }>(`/api/x-ads/connections/${id}/metrics`)).data,
  });
}

/** Pulls now instead of at the next scheduled pull; answers the metrics, roles as X reports them now. */
export function usePullXAdsMetrics(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () =>
      (await post<{ data: XAdsAccountMetrics[] }>(`/api/x-ads/connections/${id}/pull`)).data,
    onSuccess: (data) => {
      client.setQueryData(metricsKey(id), data);
      void client.invalidateQueries({ queryKey: connectionsKey });
    },
  });
}
