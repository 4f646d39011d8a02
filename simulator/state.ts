import { derivePsid, newAccessToken, newNumericId, stableAccessToken } from './ids';
import type {
  AdAccountRecord,
  AdCreativeRecord,
  AdRecord,
  AdSetRecord,
  CampaignRecord,
  CommentRecord,
  NotificationToken,
  OAuthCode,
  PageRecord,
  PersonRecord,
  PostRecord,
  SentMessage,
  ThreadRecord,
  TokenRecord,
  UserRecord,
  Violation,
} from './records';
import {
  ALL_PAGE_PERMISSIONS,
  adAccountSeedSchema,
  DEFAULT_TASKS,
  pageSeedSchema,
  personSeedSchema,
  seedSchema,
  userSeedSchema,
  type AdAccountSeed,
  type PageSeed,
  type Seed,
  type PersonSeed,
  type UserSeed,
} from './seed';
import type { Settings } from './settings';

const DEFAULT_USER_PERMISSIONS = ['public_profile', 'email', ...ALL_PAGE_PERMISSIONS];
/** How many revocations of one Page's or user's tokens a restarted simulator looks back over to know a token again. */
const RECOVERABLE_GENERATIONS = 8;

/** How a user token was obtained: for a Login dialog's code, or in exchange for another user token. */
const userTokenGrants = ['code', 'fb_exchange_token'] as const;
export type UserTokenGrant = (typeof userTokenGrants)[number];

export class SimState {
  pages = new Map<string, PageRecord>();
  users = new Map<string, UserRecord>();
  people = new Map<string, PersonRecord>();
  tokens = new Map<string, TokenRecord>();
  threads = new Map<string, ThreadRecord>();
  psids = new Map<string, { pageId: string; personId: string }>();
  posts = new Map<string, PostRecord>();
  comments = new Map<string, CommentRecord>();
  oauthCodes = new Map<string, OAuthCode>();
  notificationTokens = new Map<string, NotificationToken>();
  oneTimeTokens = new Map<string, { pageId: string; psid: string; used: boolean }>();
  userRefs = new Map<string, { pageId: string; personId: string }>();
  attachments = new Map<string, Record<string, unknown>>();
  /** The Marketing API's objects, by id (an ad account by `act_{id}`). */
  adAccounts = new Map<string, AdAccountRecord>();
  campaigns = new Map<string, CampaignRecord>();
  adSets = new Map<string, AdSetRecord>();
  adCreatives = new Map<string, AdCreativeRecord>();
  ads = new Map<string, AdRecord>();
  /** Fields set through POST /{app-id}/subscriptions; null = not restricted at the app level. */
  appSubscribedFields: string[] | null = null;
  sentMessages: SentMessage[] = [];
  violations: Violation[] = [];

  constructor(
    private readonly settings: Settings,
    private readonly now: () => number,
  ) {}

  /** Forgets everything; the caller re-applies the seed. */
  clear(): void {
    for (const value of Object.values(this)) {
      if (value instanceof Map || value instanceof Set) value.clear();
    }
    this.appSubscribedFields = null;
    this.sentMessages.length = 0;
    this.violations.length = 0;
  }

  applySeed(seed: Seed | undefined): void {
    const parsed = seedSchema.parse(seed ?? {});
    parsed.users.forEach((user) => this.addUser(user));
    parsed.pages.forEach((page) => this.addPage(page));
    parsed.people.forEach((person) => this.addPerson(person));
    parsed.adAccounts.forEach((account) => this.addAdAccount(account));
  }

  addAdAccount(input: AdAccountSeed): AdAccountRecord {
    const seed = adAccountSeedSchema.parse(input);
    const account: AdAccountRecord = {
      id: `act_${seed.id}`,
      name: seed.name,
      currency: seed.currency,
      userIds: seed.userIds,
    };
    this.adAccounts.set(account.id, account);
    return account;
  }

  addPage(input: PageSeed): { page: PageRecord; accessToken: string } {
    const seed = pageSeedSchema.parse(input);
    const page: PageRecord = {
      id: seed.id,
      name: seed.name,
      category: seed.category,
      tasks: seed.tasks ?? DEFAULT_TASKS,
      adminUserIds: seed.adminUserIds,
      fanCount: seed.fanCount ?? 0,
      subscribedFields: seed.subscribedFields ?? null,
      revokedPermissions: new Set(),
      rateLimits: {
        textPerSecond: this.settings.rateLimits.textPerSecond,
        mediaPerSecond: this.settings.rateLimits.mediaPerSecond,
      },
      messengerProfile: {},
      messengerProfileCalls: [],
    };
    this.pages.set(page.id, page);
    const value = seed.accessToken ?? stableAccessToken(this.settings.appSecret, `page:${page.id}`);
    const token = this.mintToken('page', page.id, null, new Set(ALL_PAGE_PERMISSIONS), value);
    return { page, accessToken: token.value };
  }

  addUser(input: UserSeed): { user: UserRecord; accessToken: string | null } {
    const seed = userSeedSchema.parse(input);
    const user: UserRecord = {
      id: seed.id,
      name: seed.name,
      email: seed.email,
      grantedPermissions: new Set(seed.grantedPermissions ?? DEFAULT_USER_PERMISSIONS),
      declinedPermissions: new Set(),
    };
    this.users.set(user.id, user);
    const token = seed.accessToken
      ? this.mintToken('user', user.id, null, new Set(user.grantedPermissions), seed.accessToken)
      : null;
    return { user, accessToken: token?.value ?? null };
  }

  addPerson(input: PersonSeed): PersonRecord {
    const seed = personSeedSchema.parse(input);
    const person: PersonRecord = {
      id: seed.id,
      name: seed.name ?? `${seed.firstName} ${seed.lastName}`,
      firstName: seed.firstName,
      lastName: seed.lastName,
      profilePic:
        seed.profilePic ?? `https://platform-lookaside.fbsbx.com/platform/profilepic/?psid=${seed.id}`,
    };
    this.people.set(person.id, person);
    return person;
  }

  mintToken(
    kind: TokenRecord['kind'],
    subjectId: string,
    viaUserId: string | null,
    scopes: Set<string>,
    value: string = newAccessToken(),
    expiresAt: number | null = null,
  ): TokenRecord {
    const token: TokenRecord = {
      value,
      kind,
      subjectId,
      viaUserId,
      scopes,
      issuedAt: this.now(),
      expiresAt,
      revoked: null,
    };
    this.tokens.set(value, token);
    return token;
  }

  /** The Page token a user gets through /me/accounts: reused while valid, like Meta's long-lived Page tokens. */
  pageTokenFor(pageId: string, user: UserRecord | null): TokenRecord {
    const viaUserId = user?.id ?? null;
    for (const token of this.tokens.values()) {
      if (
        token.kind === 'page' &&
        token.subjectId === pageId &&
        token.viaUserId === viaUserId &&
        !token.revoked
      ) {
        return token;
      }
    }
    const scopes = user ? new Set(user.grantedPermissions) : new Set(ALL_PAGE_PERMISSIONS);
    // One more than the revoked ones: a token handed out after a revocation is a new one.
    const generation = [...this.tokens.values()].filter(
      (token) => token.kind === 'page' && token.subjectId === pageId && token.viaUserId === viaUserId,
    ).length;
    return this.mintToken(
      'page',
      pageId,
      viaUserId,
      scopes,
      this.stablePageToken(pageId, viaUserId, generation),
    );
  }

  /**
   * Like the seeded Page tokens, the ones handed out through /me/accounts are derived from the app secret, so an app
   * that stored one (the sandbox keeps its database across `npm start`) can still send after the simulator restarts.
   */
  private stablePageToken(pageId: string, viaUserId: string | null, generation: number): string {
    return stableAccessToken(
      this.settings.appSecret,
      `page:${pageId}:via:${viaUserId ?? 'none'}:${generation}`,
    );
  }

  /**
   * The user token Facebook Login hands out for a code or in exchange for another (`grant`), derived like the Page
   * tokens and carrying its expiry (whole seconds), so a login the app stored (the sandbox keeps its sessions across
   * `npm start`) still works after the simulator restarts, and still expires when it would have. A new one after each
   * revocation.
   */
  userTokenFor(user: UserRecord, grant: UserTokenGrant, expiresAt: number): TokenRecord {
    const expiresAtSeconds = Math.floor(expiresAt / 1000);
    const generation = [...this.tokens.values()].filter(
      (token) => token.kind === 'user' && token.subjectId === user.id && token.revoked,
    ).length;
    return this.mintToken(
      'user',
      user.id,
      null,
      new Set(user.grantedPermissions),
      this.stableUserToken(user.id, grant, generation, expiresAtSeconds),
      expiresAtSeconds * 1000,
    );
  }

  private stableUserToken(
    userId: string,
    grant: UserTokenGrant,
    generation: number,
    expiresAtSeconds: number,
  ): string {
    const subject = `user:${userId}:${grant}:${generation}:${expiresAtSeconds}`;
    return `${stableAccessToken(this.settings.appSecret, subject)}${expiresAtSeconds}`;
  }

  /**
   * A Page or user token a previous run of the simulator handed out (through /me/accounts, or Facebook Login), known
   * again with the user's current grants; null for any other value. Revocations do not survive a restart.
   */
  recoverToken(value: string): TokenRecord | null {
    return this.recoverPageToken(value) ?? this.recoverUserToken(value);
  }

  private recoverPageToken(value: string): TokenRecord | null {
    for (const page of this.pages.values()) {
      for (const userId of page.adminUserIds) {
        const user = this.users.get(userId);
        if (!user) continue;
        for (let generation = 0; generation < RECOVERABLE_GENERATIONS; generation += 1) {
          if (this.stablePageToken(page.id, user.id, generation) === value)
            return this.mintToken('page', page.id, user.id, new Set(user.grantedPermissions), value);
        }
      }
    }
    return null;
  }

  private recoverUserToken(value: string): TokenRecord | null {
    const seconds = /^EAA[A-Za-z0-9]{43}(\d{1,12})$/.exec(value)?.[1];
    if (seconds === undefined) return null;
    const expiresAtSeconds = Number(seconds);
    for (const user of this.users.values()) {
      for (const grant of userTokenGrants) {
        for (let generation = 0; generation < RECOVERABLE_GENERATIONS; generation += 1) {
          if (this.stableUserToken(user.id, grant, generation, expiresAtSeconds) === value)
            return this.mintToken(
              'user',
              user.id,
              null,
              new Set(user.grantedPermissions),
              value,
              expiresAtSeconds * 1000,
            );
        }
      }
    }
    return null;
  }

  psidFor(personId: string, pageId: string): string {
    const psid = derivePsid(this.settings.appId, pageId, personId);
    this.psids.set(psid, { pageId, personId });
    return psid;
  }

  thread(pageId: string, psid: string): ThreadRecord | undefined {
    return this.threads.get(`${pageId}:${psid}`);
  }

  ensureThread(pageId: string, personId: string): ThreadRecord {
    const psid = this.psidFor(personId, pageId);
    const key = `${pageId}:${psid}`;
    const existing = this.threads.get(key);
    if (existing) return existing;
    const thread: ThreadRecord = {
      pageId,
      psid,
      personId,
      lastInteractionAt: null,
      lastMessageAt: null,
      userStarted: false,
      blocked: false,
      ownerAppId: null,
      pendingReferral: null,
    };
    this.threads.set(key, thread);
    return thread;
  }

  newPostId(pageId: string): string {
    return `${pageId}_${newNumericId()}`;
  }

  newCommentId(postId: string): string {
    const objectId = postId.split('_')[1] ?? postId;
    return `${objectId}_${newNumericId()}`;
  }
}
