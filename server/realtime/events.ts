/**
 * The one map of real-time events, imported by the server and the dashboard alike. Names are `noun:verb`.
 * Rooms are joined by the server only, so there is deliberately no client event that names a room.
 */
export interface PageHealthEvent {
  pageId: string;
  fbPageId: string;
  status: 'ok' | 'needs_reauth' | 'permission_missing';
  reason?: string;
  at: string;
  /** True while any pause reason is present; each is lifted only by its own event. */
  automatedSendsPaused: boolean;
  pauseReasons: ('blocked_by_meta' | 'needs_reauth' | 'permission_missing' | 'paused_by_admin')[];
}

/** A sending broadcast's progress, at least once a second, to its workspace's admins and marketers. */
export interface BroadcastProgressEvent {
  broadcastId: string;
  state: 'draft' | 'scheduled' | 'sending' | 'paused' | 'completed' | 'cancelled' | 'failed';
  sent: number;
  failed: number;
  skipped: number;
  /** Sends that may or may not have gone out (no answer from Meta, or their worker died): never sent again. */
  unknown: number;
  /** Everyone not yet sent, skipped, failed or unknown; only ever falls. Null until the audience is counted. */
  remaining: number | null;
  ratePerSecond: number;
  /** Seconds until the last recipient at the current rate; null before the first message. */
  etaSeconds: number | null;
}

/** A stored Message as agents see it (live chat). Dates are ISO strings. */
export interface MessageView {
  id: string;
  conversationId: string;
  pageId: string;
  subscriberId: string;
  mid: string;
  direction: 'inbound' | 'outbound' | 'internal';
  kind: string;
  sender: string;
  agentId: string | null;
  text?: string;
  attachments?: { type: string; url?: string }[];
  payload?: string;
  reaction?: { reaction: string; emoji?: string; action: string; targetMid: string };
  delivery?: { messagingType: string; tag?: string };
  status: string;
  failure?: { code?: number; subcode?: number; outcome: string; reason: string };
  occurredAt: string;
}

/** A Conversation as the inbox shows it. */
export interface ConversationView {
  id: string;
  pageId: string;
  subscriberId: string;
  psid: string;
  subscriberName: string;
  status: 'open' | 'resolved';
  assigneeId: string | null;
  claimedById: string | null;
  humanActiveUntil: string | null;
  unreadCount: number;
  lastMessage: { preview: string; at: string; direction: 'inbound' | 'outbound' } | null;
  lastMessageAt: string;
}

export interface MessageStatusEvent {
  pageId: string;
  conversationId: string;
  messageId: string;
  mid: string;
  status: string;
  failure?: MessageView['failure'];
}

/** What a comment capture did with one comment, as its outcome log shows it. Dates are ISO strings. */
export interface CaptureOutcomeView {
  id: string;
  captureId: string;
  commentId: string;
  authorName: string | null;
  /** The comment's words when it was judged. */
  text: string | null;
  result: 'replied' | 'skipped';
  /** A code for the skip (`no_keyword_match`, `outside_window`, …); null when replied. */
  reason: string | null;
  /** Why, in plain words. */
  basis: string;
  at: string;
}

export interface ServerToClientEvents {
  'page:health': (event: PageHealthEvent) => void;
  'broadcast:progress': (event: BroadcastProgressEvent) => void;
  'message:new': (event: { pageId: string; conversationId: string; message: MessageView }) => void;
  'message:status': (event: MessageStatusEvent) => void;
  'conversation:updated': (event: { pageId: string; conversation: ConversationView }) => void;
  /** Another agent is typing in a conversation. */
  'conversation:typing': (event: {
    pageId: string;
    conversationId: string;
    userId: string;
    typing: boolean;
  }) => void;
  /** The person asked for a human (or the bot handed over): the conversation waits in the unassigned queue. */
  'conversation:needs-human': (event: { pageId: string; conversation: ConversationView }) => void;
  /** The agents who have a conversation open right now. */
  'conversation:presence': (event: { pageId: string; conversationId: string; userIds: string[] }) => void;
  /** A capture judged a comment: to the members who run automation on the Page (its counters moved). */
  'capture:outcome': (event: { pageId: string; captureId: string; outcome: CaptureOutcomeView }) => void;
  /** To the workspace's admins: an outgoing webhook endpoint failed for a day and is now off. */
  'webhook-endpoint:disabled': (event: {
    endpointId: string;
    url: string;
    reason: string;
    at: string;
  }) => void;
}

/** Acknowledged client events answer `{ data }` or `{ error }`; none exist yet. */
export type ClientToServerEvents = Record<never, never>;

export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/** Every server event by name; the compiler insists a new event is listed, so the authorization test covers it. */
const everyServerEvent: Record<ServerEventName, true> = {
  'page:health': true,
  'broadcast:progress': true,
  'message:new': true,
  'message:status': true,
  'conversation:updated': true,
  'conversation:typing': true,
  'conversation:needs-human': true,
  'conversation:presence': true,
  'capture:outcome': true,
  'webhook-endpoint:disabled': true,
};
export const serverEventNames = Object.keys(everyServerEvent) as ServerEventName[];
