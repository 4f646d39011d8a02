import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, get, post } from './http';
import type { ApiKey, ApiKeyScopeOffered, CreatedApiKey } from './types';

/** The workspace's keys, newest first (revoked ones too), and the scopes the server offers. */
export function useApiKeys() {
  return useQuery({
    queryKey: ['api-keys'],
    queryFn: () => get<{ data: ApiKey[]; scopes: ApiKeyScopeOffered[] }>('/api/api-keys'),
  });
}

export function useCreateApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; scopes: string[] }) => post<CreatedApiKey>('/api/api-keys', input),
    onSuccess: () => client.invalidateQueries({ queryKey: ['api-keys'] }),
  });
}

export function useRevokeApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api('DELETE', `/api/api-keys/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['api-keys'] }),
  });
}
