/** One rate limit of the X API: calls per window, per user (X's "per user" limits of OAuth 2.0 user context). */
export interface XRateLimit {
  limit: number;
  windowSeconds: number;
}

/** The endpoints whose limits the simulator counts, named as X's rate-limit table names them. */
export type XEndpoint = 'POST /2/tweets' | 'DELETE /2/tweets/:id' | 'GET /2/tweets/:id' | 'GET /2/users/me';

export interface XUserSeed {
  id: string;
  username: string;
  name: string;
  followersCount?: number;
  followingCount?: number;
}

export interface XSettings {
  clientId: string;
  /** A confidential client authenticates the token and revoke calls with Basic auth; a public one sends client_id. */
  clientSecret: string;
  /** X: an access token lives two hours. */
  accessTokenSeconds: number;
  /** X: an authorization code is valid for 30 seconds. */
  authorizationCodeSeconds: number;
  /** How far back a post with the same text is refused as a duplicate (UNCONFIRMED: X does not publish it). */
  duplicateWindowHours: number;
  /** Weighted length limit of a post for a non-premium account. */
  maxPostLength: number;
  /** Per user, per endpoint (UNCONFIRMED: the numbers depend on the access tier). */
  rateLimits: Record<XEndpoint, XRateLimit>;
  users: XUserSeed[];
}

export type XOptions = Partial<Omit<XSettings, 'rateLimits'>> & {
  rateLimits?: Partial<Record<XEndpoint, XRateLimit>>;
};

export function resolveXSettings(options: XOptions = {}): XSettings {
  return {
    clientId: options.clientId ?? 'simulator-x-client-id',
    clientSecret: options.clientSecret ?? 'simulator-x-client-secret',
    accessTokenSeconds: options.accessTokenSeconds ?? 7200,
    authorizationCodeSeconds: options.authorizationCodeSeconds ?? 30,
    duplicateWindowHours: options.duplicateWindowHours ?? 24,
    maxPostLength: options.maxPostLength ?? 280,
    rateLimits: {
      'POST /2/tweets': { limit: 100, windowSeconds: 900 },
      'DELETE /2/tweets/:id': { limit: 50, windowSeconds: 900 },
      'GET /2/tweets/:id': { limit: 900, windowSeconds: 900 },
      'GET /2/users/me': { limit: 75, windowSeconds: 900 },
      ...options.rateLimits,
    },
    users: options.users ?? [],
  };
}

/** Every scope X's OAuth 2.0 consent screen may ask for. */
export const X_SCOPES = [
  'tweet.read',
  'tweet.write',
  'tweet.moderate.write',
  'users.email',
  'users.read',
  'follows.read',
  'follows.write',
  'offline.access',
  'space.read',
  'mute.read',
  'mute.write',
  'like.read',
  'like.write',
  'list.read',
  'list.write',
  'block.read',
  'block.write',
  'bookmark.read',
  'bookmark.write',
  'dm.read',
  'dm.write',
  'media.write',
] as const;
