import { systemClock, type Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { isGraphError } from './graph-outcomes';
import { SendQueue, type QueuedSend, type SendPriority } from './send-queue';
import { TokenBucket } from './token-bucket';
import type { PageUsage } from './usage-headers';

export type { SendPriority } from './send-queue';

export interface SendGovernorOptions {
  /** Calls per second per Page when `rateFor` gives none; Meta allows 300/s for text. */
  defaultRatePerSecond: number;
  /** Share of a limit (0–1) at which Meta's reported usage halves the Page's rate. */
  slowdownThreshold?: number;
  clock?: Clock;
  logger: Logger;
  rateFor?: (pageId: string) => number | undefined;
  /** Times one task is re-run after rate-limit refusals before its caller gets the error. */
  maxRateLimitRetries?: number;
  /**
   * The wait after a rate limit: Meta's regain time when it gives one, else exponential backoff from `baseDelayMs`;
   * never longer than `maxDelayMs`, after which one send probes whether access is back.
   */
  rateLimitWait?: { baseDelayMs: number; maxDelayMs: number };
}

export interface PageSendStats {
  queued: Record<SendPriority, number>;
  inFlight: number;
  sent: number;
  ratePerSecond: number;
  pausedUntil?: Date;
}

export interface SendGovernor {
  /** Runs `task` when the Page's rate allows and nothing more urgent is waiting; settles with the task's result. */
  run<T>(pageId: string, priority: SendPriority, task: () => Promise<T>): Promise<T>;
  observeUsage(pageId: string, usage: PageUsage): void;
  /** Holds the Page's sends until `untilMs` (epoch ms on the governor's clock). */
  pause(pageId: string, untilMs: number): void;
  stats(pageId: string): PageSendStats;
  /** Refuses queued and future tasks and stops every timer; tasks already running finish. */
  close(): void;
}

export class SendGovernorClosed extends Error {
  constructor() {
    super('The send governor was closed before this send could run');
    this.name = 'SendGovernorClosed';
  }
}

interface PageLane {
  queue: SendQueue;
  bucket: TokenBucket;
  pausedUntilMs: number;
  usagePercent: number;
  sent: number;
  inFlight: number;
  /** Rate-limit episodes in a row without a success, for the backoff when Meta gives no regain time. */
  consecutiveRateLimits: number;
  wakeTimer?: NodeJS.Timeout;
}

const burstMs = 50;

export function createSendGovernor(options: SendGovernorOptions): SendGovernor {
  const clock = options.clock ?? systemClock;
  const slowdownPercent = (options.slowdownThreshold ?? 0.75) * 100;
  const maxRateLimitRetries = options.maxRateLimitRetries ?? 5;
  const rateLimitWait = options.rateLimitWait ?? { baseDelayMs: 1000, maxDelayMs: 15 * 60_000 };
  const lanes = new Map<string, PageLane>();
  let sequence = 0;
  let closed = false;

  const nowMs = () => clock.now().getTime();

  function laneFor(pageId: string): PageLane {
    let lane = lanes.get(pageId);
    if (!lane) {
      const bucket = new TokenBucket(nowMs(), burstMs);
      lane = {
        queue: new SendQueue(),
        bucket,
        pausedUntilMs: 0,
        usagePercent: 0,
        sent: 0,
        inFlight: 0,
        consecutiveRateLimits: 0,
      };
      lanes.set(pageId, lane);
    }
    return lane;
  }

  function rateOf(pageId: string, lane: PageLane): number {
    const configured = options.rateFor?.(pageId) ?? options.defaultRatePerSecond;
    // Meta throttles when any usage figure reaches 100 %; easing off before that keeps the Page from being cut off.
    return lane.usagePercent >= slowdownPercent ? configured / 2 : configured;
  }

  function wakeLater(pageId: string, lane: PageLane, delayMs: number): void {
    lane.wakeTimer = setTimeout(() => drain(pageId), Math.max(1, Math.ceil(delayMs)));
  }

  function drain(pageId: string): void {
    const lane = laneFor(pageId);
    clearTimeout(lane.wakeTimer);
    lane.wakeTimer = undefined;
    while (!closed && lane.queue.size > 0) {
      const now = nowMs();
      if (now < lane.pausedUntilMs) return wakeLater(pageId, lane, lane.pausedUntilMs - now);
      const rate = rateOf(pageId, lane);
      if (!lane.bucket.tryTake(now, rate))
        return wakeLater(pageId, lane, lane.bucket.msUntilNextToken(now, rate));
      const task = lane.queue.takeNext();
      if (task) start(pageId, lane, task);
    }
  }

  function start(pageId: string, lane: PageLane, task: QueuedSend): void {
    lane.inFlight += 1;
    Promise.resolve()
      .then(task.run)
      .then(
        (value) => {
          lane.sent += 1;
          lane.consecutiveRateLimits = 0;
          task.resolve(value);
        },
        (error: unknown) => retryOrFail(pageId, lane, task, error),
      )
      .finally(() => {
        lane.inFlight -= 1;
      });
  }

  function retryOrFail(pageId: string, lane: PageLane, task: QueuedSend, error: unknown): void {
    if (closed || !isGraphError(error, 'rate_limited') || task.rateLimitedAttempts >= maxRateLimitRetries) {
      task.reject(error);
      return;
    }
    // Meta refused the call, so nothing went out: running the task again cannot send twice.
    task.rateLimitedAttempts += 1;
    waitOutRateLimit(pageId, lane, error.outcome.kind === 'rate_limited' ? error.outcome.waitMs : 0);
    lane.queue.putBack(task);
    drain(pageId);
  }

  function waitOutRateLimit(pageId: string, lane: PageLane, regainMs: number): void {
    const now = nowMs();
    // Sends already in flight when the limit hit are refused too; they belong to the same episode.
    const isNewEpisode = now >= lane.pausedUntilMs;
    if (isNewEpisode) lane.consecutiveRateLimits += 1;
    const backoffMs = rateLimitWait.baseDelayMs * 2 ** Math.max(0, lane.consecutiveRateLimits - 1);
    const waitMs = Math.min(
      rateLimitWait.maxDelayMs,
      Math.max(regainMs, backoffMs * (0.5 + Math.random() / 2)),
    );
    if (now + waitMs <= lane.pausedUntilMs) return;
    lane.pausedUntilMs = now + waitMs;
    if (isNewEpisode)
      options.logger.warn({ pageId, waitMs: Math.round(waitMs) }, 'page rate limited; holding its sends');
  }

  function refuseQueued(lane: PageLane): void {
    clearTimeout(lane.wakeTimer);
    for (const task of lane.queue.takeAll()) task.reject(new SendGovernorClosed());
  }

  return {
    run<T>(pageId: string, priority: SendPriority, task: () => Promise<T>): Promise<T> {
      if (closed) return Promise.reject(new SendGovernorClosed());
      return new Promise<T>((resolve, reject) => {
        const queued: QueuedSend = {
          sequence: (sequence += 1),
          priority,
          run: task,
          resolve: resolve as (value: unknown) => void,
          reject,
          rateLimitedAttempts: 0,
        };
        laneFor(pageId).queue.add(queued);
        drain(pageId);
      });
    },

    observeUsage(pageId, usage) {
      const lane = laneFor(pageId);
      lane.usagePercent = usage.highestPercent;
      if (usage.regainAccessMs > 0) waitOutRateLimit(pageId, lane, usage.regainAccessMs);
    },

    pause(pageId, untilMs) {
      const lane = laneFor(pageId);
      lane.pausedUntilMs = Math.max(lane.pausedUntilMs, untilMs);
      drain(pageId);
    },

    stats(pageId) {
      const lane = laneFor(pageId);
      const paused = lane.pausedUntilMs > nowMs();
      return {
        queued: lane.queue.counts(),
        inFlight: lane.inFlight,
        sent: lane.sent,
        ratePerSecond: rateOf(pageId, lane),
        pausedUntil: paused ? new Date(lane.pausedUntilMs) : undefined,
      };
    },

    close() {
      closed = true;
      for (const lane of lanes.values()) refuseQueued(lane);
    },
  };
}
