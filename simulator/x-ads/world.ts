import { createHash, randomBytes } from 'node:crypto';
import type { AdsPermission, XAdsAccountSeed, XAdsSeed, XAdsUserSeed } from './settings';

export interface RequestToken {
  secret: string;
  callback: string;
  /** Set once the person approved in the authorize dialog. */
  approvedBy?: string;
  verifier?: string;
}

export interface AccessToken {
  secret: string;
  userId: string;
}

const randomToken = (bytes: number) => randomBytes(bytes).toString('base64url');

/** The ads world: users, ads accounts with their campaigns and who may do what, and the tokens handed out. */
export class XAdsWorld {
  users = new Map<string, XAdsUserSeed>();
  accounts = new Map<string, XAdsAccountSeed>();
  requestTokens = new Map<string, RequestToken>();
  accessTokens = new Map<string, AccessToken>();
  /** Nonces seen with their timestamp: a replayed signed request is refused. */
  nonces = new Set<string>();

  constructor(private readonly seed: XAdsSeed) {
    this.reset();
  }

  reset(): void {
    const seed = structuredClone(this.seed);
    this.users = new Map(seed.users.map((user) => [user.id, user]));
    this.accounts = new Map(seed.accounts.map((account) => [account.id, account]));
    this.requestTokens.clear();
    this.accessTokens.clear();
    this.nonces.clear();
  }

  issueRequestToken(callback: string): { token: string; secret: string } {
    const token = randomToken(16);
    const secret = randomToken(24);
    this.requestTokens.set(token, { secret, callback });
    return { token, secret };
  }

  issueAccessToken(userId: string): { token: string; secret: string } {
    const token = `${userId}-${randomToken(20)}`;
    const secret = randomToken(32);
    this.accessTokens.set(token, { secret, userId });
    return { token, secret };
  }

  permissionsOf(userId: string, accountId: string): AdsPermission[] {
    return this.accounts.get(accountId)?.access[userId] ?? [];
  }

  accountsOf(userId: string): XAdsAccountSeed[] {
    return [...this.accounts.values()].filter((account) => (account.access[userId] ?? []).length > 0);
  }
}

/** Stable made-up daily numbers per entity and day, so two reads of the same day agree. */
export function dailyCampaignMetrics(campaignId: string, day: string) {
  const digest = createHash('sha256').update(`${campaignId}:${day}`).digest();
  const impressions = 500 + digest.readUInt16BE(0);
  const engagements = Math.floor(impressions * (0.02 + digest[2]! / 2550));
  const clicks = Math.floor(engagements * (0.3 + digest[3]! / 510));
  const billedChargeLocalMicro = clicks * (200_000 + digest[4]! * 1_000);
  return { impressions, engagements, clicks, billedChargeLocalMicro };
}
