import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, get, post } from './http';

export type AutopostTarget = 'page_feed' | 'broadcast' | 'x_share';

export interface XStandingConsent {
  id: string;
  xAccountId: string;
  /** Without the @; null when X connections no longer know the account. */
  xUsername: string | null;
  grantedBy: string;
  grantedAt: string;
  wording: string;
}

export interface AutopostFeed {
  id: string;
  name: string;
  /** A feed's address (`feed_url`) or a connected Page's own posts (`page_posts`). */
  source: 'feed_url' | 'page_posts';
  url: string | null;
  sourcePage: { id: string; name: string | null } | null;
  page: { id: string; name: string | null };
  targets: AutopostTarget[];
  active: boolean;
  pollEveryMinutes: number;
  nextPollAt: string;
  lastPolledAt: string | null;
  lastError: string | null;
  baselineAt: string | null;
  itemsSeen: number;
  /** Per target, how many deliveries ended in each status. */
  deliveries: Partial<Record<AutopostTarget, Partial<Record<string, number>>>>;
  xConsent: XStandingConsent | null;
  createdAt: string;
}

export interface AutopostDelivery {
  id: string;
  target: AutopostTarget;
  /** `accepted`: an X share waiting for X's rate limit (see `xShare`); `interrupted`: it may or may not have gone. */
  status: 'sending' | 'sent' | 'accepted' | 'skipped' | 'failed' | 'interrupted';
  externalId: string | null;
  detail: string | null;
  basis: string | null;
  at: string;
  /** The X share as it stands now, for the x_share target. */
  xShare: {
    id: string;
    status: string;
    reason: string | null;
    xPostId: string | null;
    waitingUntil: string | null;
  } | null;
}

export interface AutopostItem {
  id: string;
  key: string;
  title: string;
  link: string | null;
  publishedAt: string | null;
  seenAt: string;
  baseline: boolean;
  deliveries: AutopostDelivery[];
}

export interface PollResult {
  ok: boolean;
  problem: string | null;
  entries: number;
  newItems: number;
  baselineItems: number;
}

const feedsKey = ['autopost-feeds'];

export function useAutopostFeeds() {
  return useQuery({
    queryKey: feedsKey,
    queryFn: () => get<{ data: AutopostFeed[]; xConsentWording: string }>('/api/autoposting/feeds'),
    refetchInterval: 15_000,
  });
}

export function useFeedItems(feedId: string) {
  return useQuery({
    queryKey: ['autopost-items', feedId],
    queryFn: () => get<{ data: AutopostItem[] }>(`/api/autoposting/feeds/${feedId}/items`),
    refetchInterval: 15_000,
  });
}

/** Every change to a feed may change its list entry and its items. */
function useFeedMutation<Input, Output>(mutationFn: (input: Input) => Promise<Output>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: feedsKey });
      await client.invalidateQueries({ queryKey: ['autopost-items'] });
    },
  });
}

export const useCreateFeed = () =>
  useFeedMutation(
    (draft: {
      name: string;
      /** Exactly one of `url` and `sourcePage`. */
      url?: string;
      sourcePage?: string;
      page: string;
      targets: AutopostTarget[];
      pollEveryMinutes: number;
    }) => post<AutopostFeed>('/api/autoposting/feeds', draft),
  );

export const useChangeFeed = (id: string) =>
  useFeedMutation((change: { active?: boolean; targets?: AutopostTarget[] }) =>
    api<AutopostFeed>('PATCH', `/api/autoposting/feeds/${id}`, change),
  );

export const useDeleteFeed = () =>
  useFeedMutation((id: string) => api('DELETE', `/api/autoposting/feeds/${id}`));

export const usePollFeed = (id: string) =>
  useFeedMutation(() => post<PollResult>(`/api/autoposting/feeds/${id}/poll`));

export const useGrantXConsent = (id: string) =>
  useFeedMutation((xAccountId: string) =>
    api<XStandingConsent>('PUT', `/api/autoposting/feeds/${id}/x-consent`, { xAccountId, agreed: true }),
  );

export const useRevokeXConsent = (id: string) =>
  useFeedMutation(() => api('DELETE', `/api/autoposting/feeds/${id}/x-consent`));

export const useSendDeliveryAgain = () =>
  useFeedMutation((deliveryId: string) =>
    post<AutopostDelivery>(`/api/autoposting/deliveries/${deliveryId}/send-again`),
  );
