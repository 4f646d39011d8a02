import { randomBytes } from 'node:crypto';
import type { XEndpoint, XSettings, XUserSeed } from './settings';

export interface XUser {
  id: string;
  username: string;
  name: string;
  followersCount: number;
  followingCount: number;
}

export interface XAuthorizationCode {
  code: string;
  userId: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string;
  codeChallengeMethod: 'S256' | 'plain';
  createdAt: number;
  used: boolean;
}

export interface XToken {
  value: string;
  kind: 'access' | 'refresh';
  userId: string;
  clientId: string;
  scopes: string[];
  issuedAt: number;
  /** null for refresh tokens: they live until used or revoked. */
  expiresAt: number | null;
  /** Set when revoked, or (refresh tokens) when used: rotation makes each usable once. */
  endedAt: number | null;
  endedBy: 'revoked' | 'rotated' | null;
}

export interface XPostMetrics {
  retweet_count: number;
  reply_count: number;
  like_count: number;
  quote_count: number;
  bookmark_count: number;
  impression_count: number;
}

export interface XPost {
  id: string;
  authorId: string;
  text: string;
  createdAt: number;
  deletedAt: number | null;
  publicMetrics: XPostMetrics;
}

/** Everything X remembers: accounts, grants, tokens, posts and the rate-limit windows. */
export class XState {
  readonly users = new Map<string, XUser>();
  readonly codes = new Map<string, XAuthorizationCode>();
  readonly tokens = new Map<string, XToken>();
  readonly posts = new Map<string, XPost>();
  /** `${endpoint} ${userId}` → the current window. */
  readonly windows = new Map<string, { startedAt: number; used: number }>();
  private nextPostId = 1_860_000_000_000_000_000n;

  constructor(private readonly settings: XSettings) {
    this.applySeed(settings.users);
  }

  applySeed(users: XUserSeed[]): void {
    for (const user of users) this.upsertUser(user);
  }

  upsertUser(seed: XUserSeed): XUser {
    const existing = this.users.get(seed.id);
    const user: XUser = {
      id: seed.id,
      username: seed.username,
      name: seed.name,
      followersCount: seed.followersCount ?? existing?.followersCount ?? 0,
      followingCount: seed.followingCount ?? existing?.followingCount ?? 0,
    };
    this.users.set(user.id, user);
    return user;
  }

  issueToken(kind: XToken['kind'], grant: Omit<XToken, 'value' | 'kind' | 'endedAt' | 'endedBy'>): XToken {
    const token: XToken = {
      ...grant,
      kind,
      value: randomBytes(32).toString('base64url'),
      endedAt: null,
      endedBy: null,
    };
    this.tokens.set(token.value, token);
    return token;
  }

  newPostId(): string {
    this.nextPostId += BigInt(1 + Math.floor(Math.random() * 1000));
    return this.nextPostId.toString();
  }

  postsBy(userId: string): XPost[] {
    return [...this.posts.values()].filter((post) => post.authorId === userId);
  }

  windowFor(endpoint: XEndpoint, userId: string) {
    return this.windows.get(`${endpoint} ${userId}`);
  }

  clear(): void {
    this.users.clear();
    this.codes.clear();
    this.tokens.clear();
    this.posts.clear();
    this.windows.clear();
    this.applySeed(this.settings.users);
  }
}
