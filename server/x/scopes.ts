/**
 * The one table of X's OAuth 2.0 scopes (docs/x-platform.md §1): the ones Pagewire asks for, each with what it is used
 * for, and every other scope X offers, marked not used and never asked for. Served by GET /api/x/scopes and shown
 * before connecting.
 */
export interface XScopeUse {
  scope: string;
  requested: boolean;
  /** Plain words; for a scope not asked for, why not. */
  use: string;
}

export const xScopeTable: readonly XScopeUse[] = [
  {
    scope: 'tweet.write',
    requested: true,
    use: 'Used for posting what you share, only when you press Share now or schedule it yourself, or a feed’s new items once you give it your standing consent on the Autoposting screen (revoked in one click).',
  },
  {
    scope: 'tweet.read',
    requested: true,
    use: 'Used because X requires it beside tweet.write to post; Pagewire reads no one’s posts.',
  },
  {
    scope: 'users.read',
    requested: true,
    use: 'Used for your account’s name, @username and follower count (a number only, never who follows you), recorded as each post’s reach.',
  },
  {
    scope: 'offline.access',
    requested: true,
    use: 'Used for keeping the connection after X’s two-hour token expires, so a scheduled share can go; revoke it here at any time.',
  },
  ...(
    [
      ['tweet.moderate.write', 'hiding replies'],
      ['users.email', 'your email address'],
      ['follows.read', 'who you follow and who follows you'],
      ['follows.write', 'following or unfollowing accounts'],
      ['space.read', 'Spaces'],
      ['mute.read', 'accounts you muted'],
      ['mute.write', 'muting accounts'],
      ['like.read', 'posts you liked'],
      ['like.write', 'liking posts'],
      ['list.read', 'your Lists'],
      ['list.write', 'changing Lists'],
      ['block.read', 'accounts you blocked'],
      ['block.write', 'blocking accounts'],
      ['bookmark.read', 'your bookmarks'],
      ['bookmark.write', 'changing bookmarks'],
      ['dm.read', 'your Direct Messages'],
      ['dm.write', 'sending Direct Messages'],
      ['media.write', 'uploading images or video'],
    ] as const
  ).map(([scope, what]) => ({
    scope,
    requested: false,
    use: `Not used: Pagewire never asks for ${what}.`,
  })),
];

/** What the consent page asks X for. */
export const requestedXScopes = xScopeTable.filter((entry) => entry.requested).map((entry) => entry.scope);
