import axios, { AxiosError, type AxiosInstance } from 'axios';
import type { ClockMode } from '../clock';
import type { DeliveryAttempt } from '../webhook-sender/delivery';
import type { EmittedEvent } from '../webhook-sender/emitter';
import type {
  ActionResult,
  PersonMessage,
  PostbackInput,
  ReactionInput,
  ReferralInput,
} from '../people/messages';
import type { OptinInput, OptinResult } from '../people/optins';
import type {
  CommentRecord,
  PostRecord,
  SentMessage,
  ThreadRecord,
  TokenRevocation,
  Violation,
} from '../records';
import type { AdAccountSeed, PageSeed, PersonSeed, UserSeed } from '../seed';
import type { FaultSettings, PolicySettings, ReceiptSettings, WebhookSettings } from '../settings';

export type {
  ActionResult,
  PersonMessage,
  PostbackInput,
  ReactionInput,
  ReferralInput,
  OptinInput,
  OptinResult,
};
export type { DeliveryAttempt, EmittedEvent, SentMessage, Violation, CommentRecord, PostRecord };
export type DeliveryTiming = Omit<DeliveryAttempt, 'body' | 'signature256' | 'signature1'>;

/** Test knobs of an app callback: sign with a wrong secret, or date the signed_request back. */
export interface AppCallbackOptions {
  forged?: boolean;
  ageSeconds?: number;
}

/** What the app answered to a callback. */
export interface AppCallbackAnswer {
  status: number;
  body: unknown;
}

export interface PageSnapshot {
  id: string;
  name: string;
  accessToken: string;
  subscribedFields: string[] | null;
  revokedPermissions: string[];
  rateLimits: { textPerSecond: number; mediaPerSecond: number };
  messengerProfile: Record<string, unknown>;
  posts: PostRecord[];
  comments: CommentRecord[];
  threads: ThreadRecord[];
}

export interface SimulatorInfo {
  url: string;
  apiVersion: string;
  appId: string;
  now: number;
  clock: ClockMode;
  webhook: { callbackUrl: string | null };
  pages: {
    id: string;
    name: string;
    accessToken: string;
    subscribedFields: string[] | null;
    adminUserIds: string[];
  }[];
  users: { id: string; name: string; email: string; grantedPermissions: string[] }[];
  people: { id: string; name: string; firstName: string; lastName: string; psids: Record<string, string> }[];
}

export interface RateLimitUpdate {
  pageId?: string;
  textPerSecond?: number;
  mediaPerSecond?: number;
  cooldownMs?: number;
  errorCode?: number;
  messengerProfileCallsPer10Min?: number;
}

export interface CommentResult {
  commentId: string;
  postId: string;
  parentId: string;
  fromId: string;
}

export interface Filter {
  pageId?: string;
  psid?: string;
}

/** Typed client of the simulator's HTTP control API (`/_sim/...`); usable from any process. */
export class SimulatorControl {
  private readonly http: AxiosInstance;

  constructor(readonly url: string) {
    this.http = axios.create({ baseURL: `${url}/_sim` });
    this.http.interceptors.response.use(undefined, (error: unknown) => {
      if (error instanceof AxiosError && error.response) {
        const detail = (error.response.data as { error?: string } | undefined)?.error ?? error.message;
        return Promise.reject(new Error(`simulator control ${error.config?.url ?? ''}: ${detail}`));
      }
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    });
  }

  // Fixtures
  addPage(page: PageSeed): Promise<{ id: string; accessToken: string }> {
    return this.post('/pages', page);
  }
  addUser(user: UserSeed): Promise<{ id: string; accessToken: string | null }> {
    return this.post('/users', user);
  }
  addPerson(person: PersonSeed): Promise<{ id: string }> {
    return this.post('/people', person);
  }
  /** Answers `act_{id}`. */
  addAdAccount(account: AdAccountSeed): Promise<{ id: string }> {
    return this.post('/ad-accounts', account);
  }
  /** An ad as the simulator holds it: its status, the PSIDs it reached, its ad set (budget, schedule) and creative. */
  ad(adId: string): Promise<Record<string, unknown> & { status: string; deliveredTo: string[] }> {
    return this.get(`/ads/${adId}`);
  }
  async psidFor(personId: string, pageId: string): Promise<string> {
    return (await this.get<{ psid: string }>('/psid', { personId, pageId })).psid;
  }
  subscribePage(pageId: string, fields: string[] | null): Promise<void> {
    return this.post(`/pages/${pageId}/subscribed-fields`, { fields });
  }

  // Acting as a person
  sendText(personId: string, pageId: string, text: string, replyToMid?: string): Promise<ActionResult> {
    return this.sendMessage(personId, pageId, { text, ...(replyToMid ? { replyToMid } : {}) });
  }
  sendQuickReply(personId: string, pageId: string, text: string, payload: string): Promise<ActionResult> {
    return this.sendMessage(personId, pageId, { text, quickReplyPayload: payload });
  }
  sendAttachment(personId: string, pageId: string, type: string, url: string): Promise<ActionResult> {
    return this.sendMessage(personId, pageId, { attachments: [{ type, payload: { url } }] });
  }
  sendMessage(personId: string, pageId: string, message: PersonMessage): Promise<ActionResult> {
    return this.post(`/people/${personId}/messages`, { pageId, ...message });
  }
  postback(personId: string, pageId: string, postback: PostbackInput): Promise<ActionResult> {
    return this.post(`/people/${personId}/postbacks`, { pageId, ...postback });
  }
  getStarted(personId: string, pageId: string): Promise<ActionResult> {
    return this.post(`/people/${personId}/get-started`, { pageId });
  }
  react(
    personId: string,
    pageId: string,
    reaction: Partial<ReactionInput> & { mid: string },
  ): Promise<ActionResult> {
    return this.post(`/people/${personId}/reactions`, { pageId, reaction: 'love', ...reaction });
  }
  openLink(
    personId: string,
    pageId: string,
    referral: ReferralInput,
  ): Promise<ActionResult & { deferredToGetStarted: boolean }> {
    return this.post(`/people/${personId}/referrals`, { pageId, ...referral });
  }
  optIn(personId: string, pageId: string, optin: OptinInput): Promise<OptinResult> {
    return this.post(`/people/${personId}/optins`, { pageId, optin });
  }
  comment(personId: string, postOrCommentId: string, message: string): Promise<CommentResult> {
    return this.post(`/people/${personId}/comments`, { postId: postOrCommentId, message });
  }
  editComment(commentId: string, message: string): Promise<void> {
    return this.request('patch', `/comments/${commentId}`, { message });
  }
  removeComment(commentId: string): Promise<void> {
    return this.request('delete', `/comments/${commentId}`);
  }
  blockPage(personId: string, pageId: string): Promise<{ psid: string }> {
    return this.post(`/people/${personId}/block`, { pageId });
  }
  unblockPage(personId: string, pageId: string): Promise<{ psid: string }> {
    return this.post(`/people/${personId}/unblock`, { pageId });
  }
  deliver(personId: string, pageId: string, options: { mids?: string[]; watermark?: number } = {}) {
    return this.post<{ watermark: number }>(`/people/${personId}/deliveries`, { pageId, ...options });
  }
  read(personId: string, pageId: string, watermark?: number) {
    return this.post<{ watermark: number }>(`/people/${personId}/reads`, { pageId, watermark });
  }

  // Acting as Meta and the Page's other tools
  pageInboxSend(pageId: string, psid: string, text: string): Promise<ActionResult> {
    return this.post(`/pages/${pageId}/inbox-messages`, { psid, text });
  }
  createPost(pageId: string, message: string): Promise<{ postId: string }> {
    return this.post(`/pages/${pageId}/posts`, { message });
  }
  policyEnforcement(pageId: string, action: 'warning' | 'block' | 'unblock', reason?: string) {
    return this.post<{ timestamp: number }>(`/pages/${pageId}/policy-enforcement`, { action, reason });
  }
  /** Revokes every token of the Page; answers the Page's fresh token. */
  revokePageToken(pageId: string, reason: TokenRevocation = 'invalidated'): Promise<{ accessToken: string }> {
    return this.post(`/pages/${pageId}/revoke-tokens`, { reason });
  }
  revokeUserToken(userId: string, reason: TokenRevocation = 'invalidated'): Promise<void> {
    return this.post(`/users/${userId}/revoke-tokens`, { reason });
  }
  /** The user removes the app: their tokens stop working and Meta POSTs the deauthorize callback to `url`. */
  removeApp(userId: string, url: string, options: AppCallbackOptions = {}): Promise<AppCallbackAnswer> {
    return this.post(`/users/${userId}/remove-app`, { url, ...options });
  }
  /** The user asks Meta to delete their data: Meta POSTs the data deletion callback to `url`. */
  requestDataDeletion(
    userId: string,
    url: string,
    options: AppCallbackOptions = {},
  ): Promise<AppCallbackAnswer> {
    return this.post(`/users/${userId}/data-deletion`, { url, ...options });
  }
  revokePermission(target: { pageId: string } | { userId: string }, permission: string): Promise<void> {
    return this.post('/permissions/revoke', { ...target, permission });
  }
  grantPermission(target: { pageId: string } | { userId: string }, permission: string): Promise<void> {
    return this.post('/permissions/grant', { ...target, permission });
  }
  setThreadOwner(pageId: string, psid: string, appId: string | null, metadata?: string): Promise<void> {
    return this.request('put', '/thread-owner', { pageId, psid, appId, metadata });
  }

  // Settings
  setFaults(faults: Partial<FaultSettings>): Promise<FaultSettings> {
    return this.request('put', '/faults', faults);
  }
  setRateLimits(limits: RateLimitUpdate): Promise<unknown> {
    return this.request('put', '/rate-limits', limits);
  }
  setWebhook(webhook: Partial<WebhookSettings>): Promise<unknown> {
    return this.request('put', '/webhook', webhook);
  }
  setReceipts(receipts: Partial<ReceiptSettings>): Promise<ReceiptSettings> {
    return this.request('put', '/receipts', receipts);
  }
  setPolicy(policy: Partial<PolicySettings>): Promise<PolicySettings> {
    return this.request('put', '/policy', policy);
  }

  // Time and lifecycle
  async advanceTime(ms: number): Promise<number> {
    return (await this.post<{ now: number }>('/clock/advance', { ms })).now;
  }
  async now(): Promise<number> {
    return (await this.get<{ now: number }>('/clock')).now;
  }
  reset(): Promise<void> {
    return this.post('/reset');
  }
  flushBatch(): Promise<void> {
    return this.post('/webhooks/flush');
  }
  /** Resolves when no webhook is queued, in flight or waiting for a retry; rejects after timeoutMs. */
  async waitForWebhookIdle(timeoutMs = 10_000): Promise<void> {
    await this.get('/webhooks/idle', { timeoutMs });
  }

  // Read-back
  sentMessages(filter: Filter = {}): Promise<SentMessage[]> {
    return this.get('/sent-messages', filter);
  }
  violations(filter: Filter = {}): Promise<Violation[]> {
    return this.get('/violations', filter);
  }
  webhookDeliveries(): Promise<DeliveryAttempt[]>;
  /** `bodies: false`: every attempt without its body and signatures, for timings over a long run. */
  webhookDeliveries(options: { bodies: false }): Promise<DeliveryTiming[]>;
  webhookDeliveries(options?: { bodies: false }): Promise<DeliveryAttempt[] | DeliveryTiming[]> {
    return this.get('/webhook-deliveries', options);
  }
  webhookEvents(filter: Filter = {}): Promise<EmittedEvent[]> {
    return this.get('/webhook-events', filter);
  }
  page(pageId: string): Promise<PageSnapshot> {
    return this.get(`/pages/${pageId}`);
  }
  info(): Promise<SimulatorInfo> {
    return this.get('/info');
  }

  private async get<T>(path: string, params?: object): Promise<T> {
    return (await this.http.get<T>(path, { params })).data;
  }
  private async post<T>(path: string, body: object = {}): Promise<T> {
    return (await this.http.post<T>(path, body)).data;
  }
  private async request<T>(method: 'put' | 'patch' | 'delete', path: string, body?: object): Promise<T> {
    return (await this.http.request<T>({ method, url: path, data: body })).data;
  }
}
