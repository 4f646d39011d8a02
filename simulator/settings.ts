import type { ClockMode } from './clock';
import type { Seed } from './seed';
import type { XAdsOptions } from './x-ads/settings';
import type { XOptions } from './x/settings';

export interface SimulatorLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RateLimitSettings {
  /** Send API calls per second per Page for text, links, reactions, stickers (Meta: 300). */
  textPerSecond: number;
  /** Send API calls per second per Page for media attachments (Meta: 10 for audio and video). */
  mediaPerSecond: number;
  /** Attachment types counted as media; Meta names audio and video only. */
  mediaAttachmentTypes: string[];
  /** How long a throttled Page stays refused, in real milliseconds. */
  cooldownMs: number;
  /** 613 ("Calls to this api have exceeded the rate limit") or a BUC code such as 80006 (UNCONFIRMED). */
  errorCode: number;
  /** Denominator of the x-app-usage percentages. */
  appCallsPerSecond: number;
  /** Messenger Profile API: calls per 10 simulated minutes per Page (Meta: 10). */
  messengerProfileCallsPer10Min: number;
}

export interface BatchSettings {
  maxEntries: number;
  windowMs: number;
}

export interface WebhookSettings {
  callbackUrl: string | null;
  verifyToken: string | null;
  /** Meta's Messenger FAQ: a webhook call times out after 20 s. */
  timeoutMs: number;
  /** Delay before each retry; the number of entries bounds the retries. */
  retryDelaysMs: number[];
  /** false: one entry per POST. Otherwise entries are held up to windowMs or maxEntries (or control flushBatch). */
  batchEntries: false | BatchSettings;
  /** Extra deliveries of the same body, for dedupe tests. */
  duplicateDeliveries: number;
  /**
   * POSTs in flight to the callback at once (UNCONFIRMED: Meta states no figure; it batches rather than opening a
   * connection per event). The others wait their turn; a POST's time and timeout start when it is sent.
   */
  maxConcurrentDeliveries: number;
  /** Feed entry.time unit (UNCONFIRMED; messaging entries are always ms). */
  feedEntryTimeUnit: 's' | 'ms';
}

export interface ReceiptSettings {
  /** Real ms after a Send API success before a delivery receipt; null = never automatically. */
  deliveryDelayMs: number | null;
  /** Real ms after the delivery receipt before a read receipt; null = never automatically. */
  readDelayMs: number | null;
}

/** `rate_limited`: the configured rate-limit error (613 by default) now, whatever the Page's rate. */
export type FaultKind = 'server_error' | 'temporary' | 'send_failure' | 'timeout' | 'rate_limited';

export interface FaultSettings {
  serverErrorRate: number;
  temporaryErrorRate: number;
  /** Code used for temporaryErrorRate: 2 (temporary) or 1200 (temporary send failure). */
  temporaryErrorCode: 2 | 1200;
  timeoutRate: number;
  /** How long a timed-out request is held open before the socket is dropped. */
  timeoutHoldMs: number;
  /** true: the message is accepted (and delivered) before the response is dropped — the unknown-outcome case. */
  timeoutAfterAccept: boolean;
  /** Added to every affected response. */
  slowMs: number;
  /** Faults hit only the Send API (`messages`) or every Graph endpoint. */
  appliesTo: 'messages' | 'all';
  /** Faults consumed one per affected call before the rates are consulted. */
  next: FaultKind[];
}

export interface PolicySettings {
  windowHours: number;
  humanAgentDays: number;
  privateReplyDays: number;
  /** Meta marks messaging_type required; when false a missing one is treated as RESPONSE. */
  requireMessagingType: boolean;
  /** Code for a missing permission: 200, 10 or 230 are all seen. */
  missingPermissionCode: number;
  /** Error for a private reply older than privateReplyDays (UNCONFIRMED): 10903 by default. */
  privateReplyExpired: { code: number; subcode?: number };
  /** The doc says over-long quick reply titles are truncated; 'reject' answers code 100 instead. */
  quickReplyTitleOverflow: 'truncate' | 'reject';
  /** Minimum gap between marketing (notification_messages) sends per subscriber; Meta since Sep 2025: 48 h. */
  marketingMessageGapHours: number;
  /**
   * Words that make a message promotional, for the update tags and UTILITY, which must not carry deals or coupons
   * (UNCONFIRMED: Meta judges purpose, not words). Case-insensitive, matched where a word starts.
   */
  promotionalWords: string[];
  /**
   * What a promotional message under an update tag or UTILITY gets (UNCONFIRMED: Meta may accept it and restrict the
   * Page later). 'refuse' answers `code`/`subcode` (default 368, "deemed abusive or otherwise disallowed");
   * 'record' accepts the send and records the same error as a violation.
   */
  promotionalMisuse: { action: 'refuse' | 'record'; code: number; subcode: number | null };
  /** Button title limit (UNCONFIRMED; the quick reply limit is 20). */
  buttonTitleMaxLength: number;
  /** Postback button payload limit (UNCONFIRMED; documented for quick replies and menu items). */
  buttonPayloadMaxLength: number;
}

/**
 * Meta's Marketing API as far as sponsored messages use it (docs/meta-marketing-and-phone.md). The objective list,
 * the minimum budget and the error codes are UNCONFIRMED.
 */
export interface MarketingSettings {
  /** Campaign objectives under which an ad set may carry a sponsored message. */
  sponsoredMessageObjectives: string[];
  /** The smallest daily budget in the account currency's minor units (a lifetime budget: this per scheduled day). */
  minDailyBudget: number;
  /** The refusal of a budget under the minimum. */
  budgetTooLow: { code: number; subcode: number };
  /** What a thousand delivered sponsored messages cost, in minor units: spend is reach × this / 1000, within budget. */
  costPerThousand: number;
}

/** The Send API's phone-number recipient, a beta of Meta (docs/meta-marketing-and-phone.md; UNCONFIRMED codes). */
export interface PhoneNumberSettings {
  /** Country calling codes the beta serves: US numbers only. */
  countryCallingCodes: string[];
  /** The refusal of a number outside them. */
  outsideBeta: { code: number; subcode: number };
}

export interface SimulatorOptions {
  port?: number;
  host?: string;
  appId?: string;
  appSecret?: string;
  appName?: string;
  apiVersion?: string;
  seed?: Seed;
  requireAppSecretProof?: boolean;
  rateLimits?: Partial<RateLimitSettings>;
  webhook?: Partial<WebhookSettings>;
  receipts?: Partial<ReceiptSettings>;
  faults?: Partial<FaultSettings>;
  policy?: Partial<PolicySettings>;
  marketing?: Partial<MarketingSettings>;
  phoneNumbers?: Partial<PhoneNumberSettings>;
  /** HTTP status per Graph error code (UNCONFIRMED); unlisted codes answer 400. */
  errorStatusByCode?: Record<number, number>;
  /** Epoch ms the simulated clock starts at; default the real now. */
  startTime?: number;
  /** 'manual' (default, for tests): time moves only through advanceTime. 'realtime': wall clock plus what was advanced. */
  clock?: ClockMode;
  logger?: SimulatorLogger;
  /** X's Ads API (simulator/x-ads/): its app credentials, world and rate limit. */
  xAds?: XAdsOptions;
  /** X's side: client credentials, accounts, limits (simulator/x/settings.ts). */
  x?: XOptions;
}

export interface Settings {
  port: number;
  host: string;
  appId: string;
  appSecret: string;
  appName: string;
  apiVersion: string;
  requireAppSecretProof: boolean;
  rateLimits: RateLimitSettings;
  webhook: WebhookSettings;
  receipts: ReceiptSettings;
  faults: FaultSettings;
  policy: PolicySettings;
  marketing: MarketingSettings;
  phoneNumbers: PhoneNumberSettings;
  errorStatusByCode: Record<number, number>;
  /** Null: the real now, as the clock starts. */
  startTime: number | null;
  clock: ClockMode;
}

export const PAGE_INBOX_APP_ID = '263902037430900';

export function defaultFaults(): FaultSettings {
  return {
    serverErrorRate: 0,
    temporaryErrorRate: 0,
    temporaryErrorCode: 2,
    timeoutRate: 0,
    timeoutHoldMs: 30_000,
    timeoutAfterAccept: true,
    slowMs: 0,
    appliesTo: 'messages',
    next: [],
  };
}

export function resolveSettings(options: SimulatorOptions): Settings {
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    appId: options.appId ?? '1234567890123456',
    appSecret: options.appSecret ?? 'simulator-app-secret',
    appName: options.appName ?? 'Pagewire',
    apiVersion: options.apiVersion ?? 'v25.0',
    requireAppSecretProof: options.requireAppSecretProof ?? false,
    rateLimits: {
      textPerSecond: 300,
      mediaPerSecond: 10,
      mediaAttachmentTypes: ['audio', 'video'],
      cooldownMs: 1000,
      errorCode: 613,
      appCallsPerSecond: 1000,
      messengerProfileCallsPer10Min: 10,
      ...options.rateLimits,
    },
    webhook: {
      callbackUrl: null,
      verifyToken: null,
      timeoutMs: 20_000,
      retryDelaysMs: [1000, 5000, 30_000, 120_000, 600_000],
      batchEntries: false,
      duplicateDeliveries: 0,
      maxConcurrentDeliveries: 64,
      feedEntryTimeUnit: 's',
      ...options.webhook,
    },
    receipts: { deliveryDelayMs: null, readDelayMs: null, ...options.receipts },
    faults: { ...defaultFaults(), ...options.faults },
    policy: {
      windowHours: 24,
      humanAgentDays: 7,
      privateReplyDays: 7,
      requireMessagingType: true,
      missingPermissionCode: 200,
      privateReplyExpired: { code: 10903 },
      quickReplyTitleOverflow: 'truncate',
      marketingMessageGapHours: 48,
      promotionalWords: ['sale', 'discount', '% off', 'coupon', 'promo', 'deal'],
      promotionalMisuse: { action: 'refuse', code: 368, subcode: null },
      buttonTitleMaxLength: 20,
      buttonPayloadMaxLength: 1000,
      ...options.policy,
    },
    marketing: {
      sponsoredMessageObjectives: ['OUTCOME_ENGAGEMENT', 'OUTCOME_SALES', 'OUTCOME_TRAFFIC', 'MESSAGES'],
      minDailyBudget: 100,
      budgetTooLow: { code: 100, subcode: 1885272 },
      costPerThousand: 1000,
      ...options.marketing,
    },
    phoneNumbers: {
      countryCallingCodes: ['1'],
      outsideBeta: { code: 100, subcode: 2018109 },
      ...options.phoneNumbers,
    },
    errorStatusByCode: options.errorStatusByCode ?? {},
    startTime: options.startTime ?? null,
    clock: options.clock ?? 'manual',
  };
}
