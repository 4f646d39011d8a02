import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { metaIdString } from './platform/ids';

/**
 * The environment, described once. Each variable's description is repeated in .env.example.
 * Secrets have no default in production; elsewhere a missing secret is generated once and kept under DATA_DIR so
 * sessions and encrypted tokens survive a restart.
 */
const secret = (what: string) => z.string().min(16, `${what}: at least 16 characters`);

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

const encryptionKeys = z
  .string()
  .transform((value, ctx) => {
    const keys = value.split(',').map((entry) => {
      const [id, material] = entry.trim().split(':');
      const key = Buffer.from(material ?? '', 'base64');
      if (!id || key.length !== 32) {
        ctx.addIssue({ code: 'custom', message: 'expects "id:base64-of-32-bytes[,id:base64...]"' });
      }
      return { id: id ?? '', key };
    });
    return keys;
  })
  .describe('Encryption keys of Page and user tokens and webhook signing secrets, newest first');

const wordList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((word) => word.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.string()).min(1));

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('./data'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'expects a mongodb:// or mongodb+srv:// URI')
    .optional(),
  SESSION_SECRET: secret('SESSION_SECRET'),
  TOKEN_ENCRYPTION_KEYS: encryptionKeys,
  FB_APP_ID: metaIdString,
  FB_APP_SECRET: secret('FB_APP_SECRET'),
  FB_VERIFY_TOKEN: secret('FB_VERIFY_TOKEN'),
  FB_GRAPH_URL: z.url().default('https://graph.facebook.com'),
  FB_DIALOG_URL: z.url().default('https://www.facebook.com'),
  FB_API_VERSION: z
    .string()
    .regex(/^v\d+\.0$/, 'expects a version such as v25.0')
    .default('v25.0'),
  GRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  GRAPH_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  PAGE_SEND_RATE_PER_SECOND: z.coerce.number().positive().default(300),
  PAGE_MEDIA_SEND_RATE_PER_SECOND: z.coerce
    .number()
    .positive()
    .default(10)
    .describe('Audio and video sends per second per Page, paced apart from text (Meta allows 10)'),
  LIVE_SEND_DEADLINE_SECONDS: z.coerce
    .number()
    .positive()
    .default(30)
    .describe(
      "How long an agent's live-chat reply may wait behind a Page's rate limit before it fails as not sent, so the agent can send it again",
    ),
  BROADCAST_LEASE_SECONDS: z.coerce
    .number()
    .positive()
    .default(120)
    .describe(
      'How long a broadcast worker owns a claimed batch of recipients before another may take it over; at least twice the longest Graph call',
    ),
  WEBHOOK_EVENT_RETENTION_HOURS: z.coerce
    .number()
    .positive()
    .default(48)
    .describe(
      "How long a processed webhook event is kept so that Meta's redelivery of it is recognised and dropped; Meta retries for up to 36 hours",
    ),
  TRUST_PROXY: booleanFlag.default(false),
  LOGIN_RATE_LIMIT: z.coerce
    .number()
    .int()
    .positive()
    .default(30)
    .describe('Requests to /auth/* allowed per client address per 15 minutes'),
  API_KEY_RATE_LIMIT: z.coerce
    .number()
    .int()
    .positive()
    .default(600)
    .describe(
      'Requests allowed per API key per minute, counted across every process (in Redis when REDIS_URL is set)',
    ),
  PAGE_HEALTH_CHECK_MINUTES: z.coerce
    .number()
    .positive()
    .default(15)
    .describe('How often each connected Page has its token, permissions and webhook subscription checked'),
  INVITATION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .default(72)
    .describe('How long an invitation link stays valid'),
  OPERATOR_FACEBOOK_USER_IDS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .pipe(z.array(metaIdString))
    .default([])
    .describe(
      'Facebook user ids of the people who run this Pagewire (comma-separated): those who are admins may open the jobs dashboard at /admin/jobs, whose jobs belong to every workspace. In the sandbox every admin may',
    ),
  REDIS_URL: z
    .union([
      z.literal('').transform(() => undefined),
      z.url().refine((url) => /^rediss?:\/\//.test(url), 'expects redis:// or rediss://'),
    ])
    .optional()
    .describe(
      'Redis shared by every Pagewire process (redis://[:password@]host:port[/db]): live events, presence and the copies each process keeps reach all of them. Unset: one process, all in memory',
    ),
  CLUSTER_PROCESSES: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .optional()
    .describe('npm run start:cluster: how many app processes share the port (default one per CPU core)'),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,40}$/, 'letters, digits, _ . - (at most 40)')
    .default('pagewire')
    .describe('Prefix of every Redis key and channel, so that several deployments can share one Redis'),
  METRICS_TOKEN: z
    .union([z.literal('').transform(() => undefined), secret('METRICS_TOKEN')])
    .optional()
    .describe(
      'The bearer token Prometheus sends to GET /metrics (at least 16 characters). Unset: /metrics answers 404',
    ),
  OPT_OUT_WORDS: wordList
    .default(['stop', 'unsubscribe', 'cancel', 'end', 'quit', 'stop all'])
    .describe('Messages that unsubscribe a person when sent alone (comma-separated, case-insensitive)'),
  OPT_IN_WORDS: wordList
    .default(['start', 'subscribe'])
    .describe('Messages that subscribe a person again when sent alone (comma-separated, case-insensitive)'),
  BOT_GET_STARTED_PAYLOAD: z
    .string()
    .min(1)
    .max(1000)
    .default('GET_STARTED')
    .describe(
      "The postback payload of the Page's Get Started button, which the bot answers with its welcome rule",
    ),
  BOT_HUMAN_IDLE_MINUTES: z.coerce
    .number()
    .positive()
    .default(30)
    .describe(
      'How long the bot stays quiet after an agent claims or replies, or a person asks for a human, unless an agent resolves sooner',
    ),
  CLIENT_DIST_DIR: z
    .string()
    .default('./client/dist')
    .describe('The built dashboard (npm run build:client) served at / and /assets'),
  OUTGOING_WEBHOOKS_ALLOW_PRIVATE: booleanFlag
    .default(false)
    .describe(
      'Lets outgoing webhooks reach loopback, private, link-local, CGNAT and multicast addresses and plain http (tests and the sandbox; never in production)',
    ),
  OUTGOING_WEBHOOKS_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(10_000)
    .describe('How long one outgoing webhook attempt waits for the receiver to answer'),
  OUTGOING_WEBHOOKS_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(20)
    .default(10)
    .describe(
      'Attempts per outgoing webhook delivery before it is left failed (replayable from the dashboard)',
    ),
  OUTGOING_WEBHOOKS_RETRY_BASE_SECONDS: z.coerce
    .number()
    .positive()
    .default(30)
    .describe(
      'The first retry delay of an outgoing webhook; each next one doubles (at most an hour), with jitter',
    ),
  OUTGOING_WEBHOOKS_DISABLE_AFTER_HOURS: z.coerce
    .number()
    .positive()
    .default(24)
    .describe(
      'An outgoing webhook endpoint whose every attempt has failed for this long is disabled and its admins told',
    ),
  FEATURE_SPONSORED_MESSAGES: booleanFlag
    .default(false)
    .describe(
      'Sponsored broadcasts: paid messages to people who messaged a Page, through Meta’s Marketing API. Adds ads_management to the permissions asked at login. Off: its routes answer 404 and its screen is hidden',
    ),
  SPONSORED_MESSAGES_OBJECTIVE: z
    .string()
    .regex(/^[A-Z_]+$/, 'an objective such as OUTCOME_ENGAGEMENT')
    .default('OUTCOME_ENGAGEMENT')
    .describe(
      'The campaign objective a sponsored message is created under (UNCONFIRMED: Meta has moved sponsored messages between objectives; MESSAGES before the outcome objectives)',
    ),
  SPONSORED_MESSAGES_PULL_MINUTES: z.coerce
    .number()
    .positive()
    .default(30)
    .describe('How often the status and results of running sponsored messages are read from Meta'),
  FEATURE_PHONE_INVITES: booleanFlag
    .default(false)
    .describe(
      'Phone invitations: invite people by phone number through the Send API (a US-only beta of Meta). Adds pages_messaging_phone_number to the permissions asked at login. Off: its routes answer 404 and its screen is hidden',
    ),
  X_ADS_API_URL: z
    .url()
    .default('https://ads-api.x.com')
    .describe("X's Ads API (the simulator's /x-ads in the sandbox and tests)"),
  X_ADS_OAUTH_URL: z
    .url()
    .default('https://api.x.com')
    .describe("Where X's OAuth 1.0a endpoints (request_token, authorize, access_token) live"),
  X_ADS_API_VERSION: z.string().regex(/^\d+$/).default('12').describe('The Ads API version in its paths'),
  X_ADS_CONSUMER_KEY: z
    .string()
    .min(1)
    .optional()
    .describe(
      "The X app's consumer key (API key) approved for the Ads API; unset: X Ads cannot be connected",
    ),
  X_ADS_CONSUMER_SECRET: z.string().min(1).optional().describe("The X app's consumer secret"),
  X_ADS_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(10_000)
    .describe('Timeout of one Ads API call'),
  X_ADS_MAX_RETRIES: z.coerce
    .number()
    .int()
    .min(0)
    .max(5)
    .default(2)
    .describe('Retries of an Ads API call that failed with a network error or a 5xx'),
  X_ADS_RATE_RESERVE: z.coerce
    .number()
    .min(0)
    .max(0.9)
    .default(0.1)
    .describe(
      'Share of each X Ads rate-limit window left unused: pulls wait for the reset once only this much is left',
    ),
  X_ADS_PULL_EVERY_MINUTES: z.coerce
    .number()
    .int()
    .positive()
    .default(60)
    .describe('How often campaign and account metrics are pulled from X Ads'),
  X_ADS_STATS_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7)
    .default(7)
    .describe('Days of daily metrics each pull reads (X allows 7 per synchronous stats call)'),
  AUTOPOSTING_ALLOW_PRIVATE_FEEDS: booleanFlag
    .default(false)
    .describe(
      'Lets autoposting read feeds at loopback, private, link-local, CGNAT and multicast addresses and over plain http (tests and the sandbox; never in production)',
    ),
  AUTOPOSTING_FETCH_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(10_000)
    .describe('How long one read of an autoposting feed may take, from connecting to the last byte'),
  AUTOPOSTING_FETCH_RETRIES: z.coerce
    .number()
    .int()
    .min(0)
    .max(5)
    .default(2)
    .describe(
      'Further tries of a feed read that got no answer or a 5xx, one second apart and doubling; the next scheduled poll tries again anyway',
    ),
  AUTOPOSTING_MAX_FEED_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(2_000_000)
    .describe('The largest feed body autoposting reads; a larger one is refused with that reason'),
  AUTOPOSTING_ABANDONED_SEND_MINUTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10)
    .describe(
      'How long an autopost delivery may stay sending before it is marked interrupted (its process stopped mid-send); it is never sent again on its own',
    ),
  X_CLIENT_ID: z
    .string()
    .min(1)
    .optional()
    .describe("Your X app's OAuth 2.0 client id; without it, connecting X accounts is refused"),
  X_CLIENT_SECRET: z
    .string()
    .min(1)
    .optional()
    .describe("Your X app's OAuth 2.0 client secret (a confidential client authenticates with it)"),
  X_API_URL: z
    .url()
    .default('https://api.x.com')
    .describe('Base URL of the X API (v2 and OAuth 2.0 token calls)'),
  X_AUTHORIZE_URL: z
    .url()
    .default('https://x.com/i/oauth2/authorize')
    .describe("X's OAuth 2.0 consent page, where a member approves the connection"),
  X_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(10_000)
    .describe('How long one call to X may take'),
  X_MAX_RETRIES: z.coerce
    .number()
    .int()
    .min(0)
    .max(5)
    .default(2)
    .describe(
      'Retries of a call to X that failed without an answer or with a 5xx; never for creating a post',
    ),
  X_DUPLICATE_WINDOW_HOURS: z.coerce
    .number()
    .positive()
    .default(168)
    .describe("How far back a share to X is compared with the account's other posts for duplicates"),
  X_DUPLICATE_SIMILARITY: z.coerce
    .number()
    .min(0.5)
    .max(1)
    .default(0.85)
    .describe(
      'How similar (0.5–1, word pairs in common) a share may be to a recent post before it is refused',
    ),
  X_RATE_LIMIT_MAX_DEFERRALS: z.coerce
    .number()
    .int()
    .min(0)
    .max(20)
    .default(3)
    .describe(
      "How many times a share X refused for its rate limit (429) waits for the limit's reset and goes again before it ends as failed",
    ),
  OUTGOING_WEBHOOKS_LOG_RETENTION_DAYS: z.coerce
    .number()
    .positive()
    .default(30)
    .describe(
      'How long a delivered or given-up outgoing webhook delivery stays in the delivery log before it is deleted; pending ones are kept',
    ),
  DATA_DELETION_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(20)
    .default(10)
    .describe(
      'Attempts at a data deletion Meta asked for before it is left failed, for an operator to finish (the error log says so)',
    ),
  DATA_DELETION_RETRY_BASE_SECONDS: z.coerce
    .number()
    .positive()
    .default(60)
    .describe(
      'The first retry delay of a failed data deletion; each next one doubles (at most an hour), with jitter',
    ),
  SANDBOX: booleanFlag
    .default(false)
    .describe(
      'Set by npm start and npm run dev when the Messenger Platform simulator at FB_GRAPH_URL plays Meta: mounts the /api/sandbox routes and lets them move the clock',
    ),
});

export type Config = z.infer<typeof configSchema> & {
  publicUrl: string;
  /** The database named in MONGODB_URI's path, else `pagewire`. */
  databaseName: string;
  generatedSecrets: string[];
};

const generatedSecretNames = [
  'SESSION_SECRET',
  'TOKEN_ENCRYPTION_KEYS',
  'FB_APP_SECRET',
  'FB_VERIFY_TOKEN',
  'FB_APP_ID',
] as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function generateSecret(name: (typeof generatedSecretNames)[number]): string {
  if (name === 'TOKEN_ENCRYPTION_KEYS') return `dev1:${randomBytes(32).toString('base64')}`;
  if (name === 'FB_APP_ID') return '100000000000001';
  return randomBytes(24).toString('base64url');
}

/** Outside production, fills missing secrets from (or into) DATA_DIR/dev-secrets.json. */
function withDevelopmentSecrets(env: Record<string, string | undefined>, dataDir: string) {
  const file = path.join(dataDir, 'dev-secrets.json');
  const stored: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const filled = { ...env };
  const generated: string[] = [];
  for (const name of generatedSecretNames) {
    if (filled[name]) continue;
    stored[name] ??= generateSecret(name);
    filled[name] = stored[name];
    generated.push(name);
  }
  if (generated.length > 0) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  return { env: filled, generated };
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const isProduction = env.NODE_ENV === 'production';
  const dataDir = env.DATA_DIR ?? './data';
  const { env: source, generated } = isProduction
    ? { env, generated: [] }
    : withDevelopmentSecrets(env, dataDir);

  const parsed = configSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new ConfigError(problems);
  }
  const config = parsed.data;
  if (config.SANDBOX && config.NODE_ENV === 'production') {
    throw new ConfigError(['SANDBOX: the simulator sandbox never runs in production']);
  }
  return {
    ...config,
    publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
    databaseName: config.MONGODB_URI?.match(/^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/)?.[1] ?? 'pagewire',
    generatedSecrets: generated,
  };
}

/** For a process entry point: the configuration, or every problem with it on stderr and exit code 1. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for what each variable expects.\n`);
      process.exit(1);
    }
    throw error;
  }
}
