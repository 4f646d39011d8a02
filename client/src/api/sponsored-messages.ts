import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post } from './http';

export interface SponsoredMessage {
  id: string;
  pageId: string;
  adAccountId: string;
  name: string;
  text: string;
  budget: { kind: 'daily' | 'lifetime'; amount: number; currency: string };
  startTime: string;
  endTime: string | null;
  state: 'active' | 'paused' | 'failed';
  failure: string | null;
  effectiveStatus: string | null;
  results: { impressions: number; reach: number; spend: number; pulledAt: string } | null;
  createdAt: string;
}

export interface AdAccount {
  id: string;
  name: string;
  currency: string;
}

export interface SponsoredDraft {
  pageId: string;
  adAccountId: string;
  name: string;
  text: string;
  budget: { kind: 'daily' | 'lifetime'; amount: number };
  startTime: string;
  endTime?: string;
}

const listKey = ['sponsored-messages'];

export function useSponsoredMessages() {
  return useQuery({
    queryKey: listKey,
    queryFn: async () => (await get<{ data: SponsoredMessage[] }>('/api/sponsored-messages')).data,
  });
}

export function useAdAccounts() {
  return useQuery({
    queryKey: ['ad-accounts'],
    queryFn: async () => (await get<{ data: AdAccount[] }>('/api/sponsored-messages/ad-accounts')).data,
    retry: false,
  });
}

export function useCreateSponsoredMessage() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (draft: SponsoredDraft) => post<SponsoredMessage>('/api/sponsored-messages', draft),
    // A refusal part way is kept too (a failed record with Meta's reason), so the list is read again either way.
    onSettled: () => client.invalidateQueries({ queryKey: listKey }),
  });
}

/** `refresh` reads status and results from Meta now; `pause` stops it at Meta. */
export function useSponsoredAction(action: 'refresh' | 'pause') {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => post<SponsoredMessage>(`/api/sponsored-messages/${id}/${action}`),
    onSuccess: () => client.invalidateQueries({ queryKey: listKey }),
  });
}
