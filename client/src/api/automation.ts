import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { get, post } from './http';
import type { Button, CaptureOutcomeView, Paged, QuickReply } from './types';

/** What the automation routes answer (bots/routes.ts); documents keep their `_id`. */

export interface AutomatedContent {
  text: string;
  buttons: Button[];
  quickReplies: QuickReply[];
}

export interface BotBlock {
  _id: string;
  page: string;
  name: string;
  content: AutomatedContent;
}

export const ruleKinds = ['keyword', 'payload', 'get_started', 'talk_to_human', 'fallback'] as const;
export type RuleKind = (typeof ruleKinds)[number];
export const keywordModes = ['contains', 'exact', 'any_of'] as const;
export type KeywordMode = (typeof keywordModes)[number];

export interface BotRule {
  _id: string;
  page: string;
  kind: RuleKind;
  keywordMode: KeywordMode;
  keywords: string[];
  payloads: string[];
  priority: number;
  block: string | null;
  active: boolean;
}

export interface BotFlow {
  blocks: { id: string; name: string }[];
  entries: { ruleId: string; kind: RuleKind; blockId: string | null }[];
  links: {
    from: string;
    via: 'quick_reply' | 'button';
    title: string;
    payload: string;
    ruleId: string | null;
    to: string | null;
    handsOver: boolean;
  }[];
}

export interface FieldCount {
  path: string;
  count: number;
  max: number;
}

export interface Issue {
  path: string;
  message: string;
}

export interface ContentCheck {
  counts: FieldCount[];
  issues: Issue[];
}

export type MenuItem =
  { type: 'postback'; title: string; payload: string } | { type: 'web_url'; title: string; url: string };

export interface MessengerProfileSettings {
  getStartedPayload: string | null;
  greeting: string | null;
  persistentMenu: MenuItem[];
  iceBreakers: { question: string; payload: string }[];
}

export interface ProfileBudget {
  limit: number;
  windowMinutes: number;
  remaining: number;
  nextFreeAt: string | null;
}

export interface ProfileAnswer {
  data: MessengerProfileSettings;
  budget: ProfileBudget;
}

export interface CaptureCounters {
  commentsSeen: number;
  repliedPrivately: number;
  repliedPublicly: number;
  skipped: Record<string, number>;
}

export interface Capture {
  _id: string;
  page: string;
  name: string;
  target: {
    kind: 'new_post' | 'existing_post' | 'any_post';
    postId: string | null;
    post?: { message?: string };
  };
  includeKeywords: string[];
  excludeKeywords: string[];
  sensitiveWords: string[];
  privateReply: AutomatedContent;
  publicReplies: string[];
  followUp: AutomatedContent | null;
  onePerPersonPerPost: boolean;
  active: boolean;
  counters: CaptureCounters;
}

export interface PagePost {
  id: string;
  message: string | null;
  createdAt: string;
  permalinkUrl: string | null;
}

export const useBlocks = () =>
  useQuery({
    queryKey: ['bot', 'blocks'],
    queryFn: async () => (await get<{ data: BotBlock[] }>('/api/bot/blocks')).data,
  });

export const useRules = () =>
  useQuery({
    queryKey: ['bot', 'rules'],
    queryFn: async () => (await get<{ data: BotRule[] }>('/api/bot/rules')).data,
  });

export const useFlow = (pageId: string) =>
  useQuery({
    queryKey: ['bot', 'flow', pageId],
    queryFn: () => get<BotFlow>(`/api/bot/flow/${pageId}`),
    enabled: pageId !== '',
  });

/** Each read spends one of the Page's ten Messenger Profile calls: read once, then kept from the answers to saves. */
export const useProfile = (pageId: string) =>
  useQuery({
    queryKey: ['bot', 'profile', pageId],
    queryFn: () => get<ProfileAnswer>(`/api/bot/profile/${pageId}`),
    enabled: pageId !== '',
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: false,
  });

/** How content being typed measures against Meta's limits, as the server counts them. */
export const useContentCheck = (content: AutomatedContent) =>
  useQuery({
    queryKey: ['bot', 'content-check', content],
    queryFn: () => post<ContentCheck>('/api/bot/content/check', { content }),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });

export const useCaptures = () =>
  useQuery({
    queryKey: ['captures'],
    queryFn: async () => (await get<{ data: Capture[] }>('/api/captures')).data,
  });

export const useRecentPosts = (pageId: string) =>
  useQuery({
    queryKey: ['captures', 'posts', pageId],
    queryFn: async () => (await get<{ data: PagePost[] }>(`/api/captures/posts/${pageId}`)).data,
    enabled: pageId !== '',
  });

export const outcomesKey = (captureId: string) => ['captures', 'outcomes', captureId];

export const useOutcomes = (captureId: string) =>
  useInfiniteQuery({
    queryKey: outcomesKey(captureId),
    queryFn: ({ pageParam }) =>
      get<Paged<CaptureOutcomeView>>(
        `/api/captures/${captureId}/outcomes?limit=20${pageParam ? `&cursor=${pageParam}` : ''}`,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

/** A greeting being typed, counted by the server as the save will count it. */
export const useGreetingCheck = (greeting: string) =>
  useQuery({
    queryKey: ['bot', 'greeting-check', greeting],
    queryFn: () => post<ContentCheck>('/api/bot/profile/greeting/check', { greeting }),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
