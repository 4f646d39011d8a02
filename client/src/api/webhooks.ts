import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { pagewireSocket } from '../realtime/socket';
import { api, get, post } from './http';

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string;
  events: string[];
  active: boolean;
  failingSince: string | null;
  disabledAt: string | null;
  disabledReason: string | null;
  secretRotatedAt: string;
  createdAt: string;
}

export interface WebhookAttempt {
  at: string;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  type: string;
  status: 'pending' | 'delivered' | 'failed';
  createdAt: string;
  deliveredAt: string | null;
  nextAttemptAt: string | null;
  attempts: WebhookAttempt[];
  body: string;
}

/** An event one may subscribe to, and what it means (the server's words). */
export interface WebhookEventType {
  type: string;
  description: string;
}

/** The endpoint and its signing secret: the one answer that carries the secret. */
export interface EndpointWithSecret {
  endpoint: WebhookEndpoint;
  secret: string;
}

const endpointsKey = ['webhook-endpoints'];

/** The workspace's endpoints and the event types the server offers; read again when the server turns one off. */
export function useWebhookEndpoints() {
  const client = useQueryClient();
  useEffect(() => {
    const socket = pagewireSocket();
    const onDisabled = () => void client.invalidateQueries({ queryKey: endpointsKey });
    socket.on('webhook-endpoint:disabled', onDisabled);
    return () => {
      socket.off('webhook-endpoint:disabled', onDisabled);
    };
  }, [client]);
  return useQuery({
    queryKey: endpointsKey,
    queryFn: () => get<{ data: WebhookEndpoint[]; eventTypes: WebhookEventType[] }>('/api/webhook-endpoints'),
  });
}

export function useCreateEndpoint() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (draft: { url: string; description?: string; events: string[] }) =>
      post<EndpointWithSecret>('/api/webhook-endpoints', draft),
    onSuccess: () => client.invalidateQueries({ queryKey: endpointsKey }),
  });
}

export function useChangeEndpoint(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: { events?: string[]; active?: boolean }) =>
      api<WebhookEndpoint>('PATCH', `/api/webhook-endpoints/${id}`, change),
    onSettled: () => client.invalidateQueries({ queryKey: endpointsKey }),
  });
}

export function useDeleteEndpoint() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api('DELETE', `/api/webhook-endpoints/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: endpointsKey }),
  });
}

export function useRotateSecret(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => post<EndpointWithSecret>(`/api/webhook-endpoints/${id}/rotate-secret`),
    onSuccess: () => client.invalidateQueries({ queryKey: endpointsKey }),
  });
}

/** One page of an endpoint's delivery log, newest first; `before` is the previous page's cursor. */
export function useDeliveries(endpointId: string, before: string | null) {
  return useQuery({
    queryKey: ['webhook-deliveries', endpointId, before],
    queryFn: () =>
      get<{ data: WebhookDelivery[]; nextCursor: string | null }>(
        `/api/webhook-endpoints/${endpointId}/deliveries${before ? `?before=${before}` : ''}`,
      ),
    placeholderData: keepPreviousData,
    refetchInterval: 5_000,
  });
}

export function useReplayDelivery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (deliveryId: string) => post<WebhookDelivery>(`/api/webhook-deliveries/${deliveryId}/replay`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['webhook-deliveries'] }),
  });
}
