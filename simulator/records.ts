/** The simulator's world: what Meta would know about Pages, people, threads and what was sent. */

export interface PageRecord {
  id: string;
  name: string;
  category: string;
  tasks: string[];
  adminUserIds: string[];
  fanCount: number;
  /** null: the app is not installed on the Page (no subscribed_apps entry). */
  subscribedFields: string[] | null;
  revokedPermissions: Set<string>;
  rateLimits: { textPerSecond: number; mediaPerSecond: number };
  messengerProfile: Record<string, unknown>;
  /** Simulated times of Messenger Profile API calls, for the 10-per-10-minutes limit. */
  messengerProfileCalls: number[];
}

export interface UserRecord {
  id: string;
  name: string;
  email: string;
  grantedPermissions: Set<string>;
  declinedPermissions: Set<string>;
}

export interface PersonRecord {
  id: string;
  name: string;
  firstName: string;
  lastName: string;
  profilePic: string;
}

export type TokenRevocation = 'invalidated' | 'expired' | 'password_changed' | 'app_removed';

export interface TokenRecord {
  value: string;
  kind: 'page' | 'user';
  /** The Page id for page tokens, the user id for user tokens. */
  subjectId: string;
  /** For page tokens minted through a user, that user. */
  viaUserId: string | null;
  scopes: Set<string>;
  issuedAt: number;
  expiresAt: number | null;
  revoked: TokenRevocation | null;
}

export interface ThreadRecord {
  pageId: string;
  psid: string;
  personId: string;
  /** Last event that opens the 24-hour window (message, postback, quick reply, referral, reaction). */
  lastInteractionAt: number | null;
  /** Last message the person sent, for HUMAN_AGENT's 7 days. */
  lastMessageAt: number | null;
  /** The person started the conversation, so their profile may be read. */
  userStarted: boolean;
  blocked: boolean;
  /** App that controls the thread; null = idle (the primary receiver, our app, gets the events). */
  ownerAppId: string | null;
  pendingReferral: Record<string, unknown> | null;
}

export interface PostRecord {
  id: string;
  pageId: string;
  message: string | null;
  link: string | null;
  createdAt: number;
  deleted: boolean;
}

export interface CommentRecord {
  id: string;
  postId: string;
  parentId: string;
  fromId: string;
  fromName: string;
  /** Written by a Page (this one or another) rather than a person. */
  byPage: boolean;
  personId: string | null;
  message: string;
  createdAt: number;
  hidden: boolean;
  removed: boolean;
  privatelyRepliedAt: number | null;
}

export interface SentMessage {
  pageId: string;
  psid: string | null;
  recipient: Record<string, unknown>;
  messagingType: string | null;
  tag: string | null;
  message: Record<string, unknown> | null;
  senderAction: string | null;
  mid: string | null;
  appId: string;
  time: number;
  /** Wall-clock ms when the request arrived (a manual simulated clock stands still unless moved): for measuring rates. */
  receivedAt: number;
  /** The response was dropped by a timeout fault after the message was accepted. */
  responseDropped: boolean;
  body: Record<string, unknown>;
}

export interface Violation {
  endpoint: string;
  pageId: string | null;
  psid: string | null;
  tokenKind: string | null;
  code: number;
  subcode: number | null;
  message: string;
  body: Record<string, unknown>;
  time: number;
}

export interface NotificationToken {
  token: string;
  pageId: string;
  psid: string;
  stopped: boolean;
  lastSentAt: number | null;
}

export interface OAuthCode {
  code: string;
  userId: string;
  clientId: string;
  redirectUri: string;
  createdAt: number;
  used: boolean;
}

/** An ad account (`act_{id}`) and the users who may manage its ads. */
export interface AdAccountRecord {
  id: string;
  name: string;
  currency: string;
  userIds: string[];
}

export type AdStatus = 'ACTIVE' | 'PAUSED';

export interface CampaignRecord {
  id: string;
  accountId: string;
  name: string;
  objective: string;
  status: AdStatus;
}

export interface AdSetRecord {
  id: string;
  accountId: string;
  campaignId: string;
  name: string;
  pageId: string;
  dailyBudget: number | null;
  lifetimeBudget: number | null;
  startTime: number;
  endTime: number | null;
  status: AdStatus;
}

export interface AdCreativeRecord {
  id: string;
  accountId: string;
  name: string;
  pageId: string;
  message: Record<string, unknown>;
}

export interface AdRecord {
  id: string;
  accountId: string;
  adSetId: string;
  creativeId: string;
  name: string;
  status: AdStatus;
  /** PSIDs the sponsored message reached, once each, in order. */
  deliveredTo: string[];
}
