/** What the REST API answers, typed from the server's own event map where the two share a shape. */
import type { ConversationView, MessageView } from '../../../server/realtime/events';

export type { ConversationView, MessageView };
export type {
  CaptureOutcomeView,
  MessageStatusEvent,
  PageHealthEvent,
  ServerToClientEvents,
  ClientToServerEvents,
} from '../../../server/realtime/events';

export interface Me {
  user: { id: string; name: string; email: string | null };
  workspace: { id: string; name: string };
  role: 'admin' | 'agent' | 'marketer' | string;
  teamIds: string[];
  /** What the dashboard offers this member (the server checks the same on every request). */
  can: { automate: boolean; broadcast: boolean; sponsor: boolean; invitePhones: boolean };
  /** May open the jobs dashboard at /admin/jobs. */
  operator: boolean;
}

export interface Member {
  userId: string;
  name: string | null;
  role: string;
  teamIds: string[];
}

export interface Team {
  id: string;
  memberCount: number;
}

/** A workspace the logged-in user belongs to (GET /api/workspaces). */
export interface WorkspaceView {
  id: string;
  name: string;
  role: string;
  current: boolean;
}

export interface PendingInvitation {
  id: string;
  role: string;
  expiresAt: string;
  createdAt: string;
}

/** Only the answer to creating an invitation carries its link: the server keeps the token's hash. */
export interface CreatedInvitation {
  id: string;
  role: string;
  url: string;
  expiresAt: string;
}

/** A Page a member sees, and the sharing that lets them (GET /api/members/:userId/pages). */
export interface MemberPage {
  id: string;
  name: string;
  sharing: { scope: 'workspace' | 'team' | 'private'; teamId: string | null };
}

export interface Permission {
  name: string;
  reason: string;
}

export interface PageView {
  id: string;
  fbPageId: string;
  name: string;
  category?: string | null;
  subscriberCount: number;
  mMeLink: string;
  health: { status: string; reason?: string | null; at?: string | null };
  automatedSendsPaused: boolean;
  automationPauses: { reason: string; note?: string; at?: string }[];
  sharing: { scope: 'workspace' | 'team' | 'private'; teamId?: string | null; ownerId?: string | null };
  connected: boolean;
}

export interface AvailablePage {
  fbPageId: string;
  name: string;
  category?: string | null;
  connected: boolean;
}

/** One earlier episode of a conversation: from its opening to an agent's resolve (server/livechat/episodes.ts). */
export interface EpisodeView {
  id: string;
  openedAt: string;
  resolvedAt: string;
  resolvedById: string;
  resolvedByName: string;
  messageCount: number;
}

export interface ConversationDetail {
  conversation: ConversationView;
  /** Newest first. */
  episodes: EpisodeView[];
  standardWindowClosesAt: string | null;
  humanAgentWindowClosesAt: string | null;
  /** The server's time when it answered: the windows are on its clock. */
  now: string;
  subscriber: { id: string; status: string };
}

export interface SubscriberView {
  id: string;
  pageId: string;
  psid: string;
  firstName: string | null;
  lastName: string | null;
  status: 'subscribed' | 'unsubscribed' | 'blocked' | string;
  unsubscribed: { at: string; reason: string } | null;
  optInSource: string;
  optInAt: string;
  profilePic: string | null;
  lastInteractionAt: string;
  tags: string[];
  customFields: Record<string, string | number | boolean>;
}

export interface Paged<T> {
  data: T[];
  nextCursor: string | null;
}

export type AgentContent =
  | { type: 'text'; text: string }
  | { type: 'quick_replies'; text: string; quickReplies: { title: string; payload: string }[] }
  | { type: 'image'; url: string };

/** A button of an outgoing message, as Meta's Send API takes it (broadcasts and the bot's blocks alike). */
export interface Button {
  type: 'postback' | 'web_url';
  title: string;
  payload?: string;
  url?: string;
}

/** A quick reply of an outgoing message. */
export interface QuickReply {
  title: string;
  payload: string;
}

/** A workspace API key as GET /api/api-keys lists it: never the key itself. */
export interface ApiKey {
  id: string;
  name: string;
  scopes: string[];
  prefix: string;
  createdBy: { id: string; name: string | null };
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A scope a key may have, with what it lets the key do in the server's words. */
export interface ApiKeyScopeOffered {
  name: string;
  meaning: string;
}

/** POST /api/api-keys answers the key once. */
export type CreatedApiKey = ApiKey & { key: string };
