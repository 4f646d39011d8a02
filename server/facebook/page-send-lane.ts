import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { GraphError, isGraphError } from './graph-outcomes';
import { PerSecondWindow, type WindowEntry } from './per-second-window';
import { SendQueue, type QueuedSend, type SendPriority } from './send-queue';
import { TokenBucket } from './token-bucket';
import type { PageUsage } from './usage-headers';
import { UsageTrend } from './usage-trend';

export interface LaneSettings {
  clock: Clock;
  logger: Logger;
  /** The Page's configured rate, read on every decision so a changed setting applies at once. */
  configuredRate: () => number;
  slowdownPercent: number;
  /** How far back a usage reading is compared to tell a climbing usage from a steady one (see UsageTrend). */
  usageTrendMs: number;
  maxRateLimitRetries: number;
  rateLimitWait: { baseDelayMs: number; maxDelayMs: number };
}

export interface PageSendStats {
  queued: Record<SendPriority, number>;
  inFlight: number;
  sent: number;
  ratePerSecond: number;
  pausedUntil?: Date;
}

export class SendGovernorClosed extends Error {
  constructor() {
    super('The send governor was closed before this send could run');
    this.name = 'SendGovernorClosed';
  }
}

/**
 * How many milliseconds of sending the bucket may save up during a backlog: a full second, so that event-loop stalls
 * (over 100 ms seen on a busy machine) are made up and the average holds. The per-second window keeps the catch-up
 * within Meta's per-second limit, and a Page that went quiet starts again from one token.
 */
const burstMs = 1000;

/**
 * One Page's sends: its own queue, token bucket, pause and timer. Nothing here is shared between Pages, which is
 * what keeps one Page's backlog or rate limit from slowing another.
 */
export class PageSendLane {
  private readonly queue = new SendQueue();
  private readonly bucket: TokenBucket;
  private readonly lastSecond = new PerSecondWindow();
  private pausedUntilMs = 0;
  private readonly usage: UsageTrend;
  private sent = 0;
  private inFlight = 0;
  /** Rate-limit episodes in a row without a success, for the backoff when Meta gives no regain time. */
  private consecutiveRateLimits = 0;
  private wakeTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly pageId: string,
    private readonly settings: LaneSettings,
  ) {
    this.bucket = new TokenBucket(this.nowMs(), burstMs);
    this.usage = new UsageTrend(settings.usageTrendMs);
  }

  /**
   * @param deadlineMs how long the task may wait for its turn (including waits after rate limits) before it is given
   *   up with `not_sent_in_time`. A task already running is never abandoned: its answer decides.
   */
  enqueue(task: QueuedSend, deadlineMs?: number): void {
    if (this.queue.size === 0) this.bucket.forgetSavings(this.nowMs(), this.rate());
    if (deadlineMs !== undefined) this.giveUpAfter(task, deadlineMs);
    this.queue.add(task);
    this.drain();
  }

  observeUsage(usage: PageUsage): void {
    this.usage.record(this.nowMs(), usage.highestPercent);
    if (usage.regainAccessMs > 0) this.waitOutRateLimit(usage.regainAccessMs);
  }

  pause(untilMs: number): void {
    this.pausedUntilMs = Math.max(this.pausedUntilMs, untilMs);
    this.drain();
  }

  stats(): PageSendStats {
    const isPaused = this.pausedUntilMs > this.nowMs();
    return {
      queued: this.queue.counts(),
      inFlight: this.inFlight,
      sent: this.sent,
      ratePerSecond: this.rate(),
      pausedUntil: isPaused ? new Date(this.pausedUntilMs) : undefined,
    };
  }

  /** Refuses what is queued; sends already running finish, but are not re-run after a rate limit. */
  close(): void {
    this.closed = true;
    clearTimeout(this.wakeTimer);
    for (const task of this.queue.takeAll()) task.reject(new SendGovernorClosed());
  }

  private nowMs(): number {
    return this.settings.clock.now().getTime();
  }

  private rate(): number {
    const configured = this.settings.configuredRate();
    // Meta throttles when any usage figure reaches 100 %; easing off while usage climbs past the threshold keeps the
    // Page from being cut off. A high but steady usage is the Page at its own rate, which is safe (UsageTrend).
    const isNearingLimit =
      this.usage.latestPercent >= this.settings.slowdownPercent && this.usage.isRising(this.nowMs());
    return isNearingLimit ? configured / 2 : configured;
  }

  private drain(): void {
    clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    while (!this.closed && this.queue.size > 0) {
      const now = this.nowMs();
      if (now < this.pausedUntilMs) return this.wakeIn(this.pausedUntilMs - now);
      const rate = this.rate();
      if (!this.lastSecond.hasRoom(now, rate)) return this.wakeIn(this.lastSecond.msUntilRoom(now));
      if (!this.bucket.tryTake(now, rate)) return this.wakeIn(this.bucket.msUntilNextToken(now, rate));
      const task = this.queue.takeNext();
      if (task) this.start(task, this.lastSecond.record(now));
    }
  }

  /** An infinite delay waits for an answer instead: `start` drains again when one comes. */
  private wakeIn(delayMs: number): void {
    if (!Number.isFinite(delayMs)) return;
    this.wakeTimer = setTimeout(() => this.drain(), Math.max(1, Math.ceil(delayMs)));
  }

  private start(task: QueuedSend, windowEntry: WindowEntry): void {
    this.inFlight += 1;
    const answered = () => {
      this.lastSecond.answered(windowEntry, this.nowMs());
      if (this.wakeTimer === undefined) this.drain();
    };
    Promise.resolve()
      .then(task.run)
      .then(
        (value) => {
          this.sent += 1;
          this.consecutiveRateLimits = 0;
          task.resolve(value);
        },
        (error: unknown) => this.retryOrFail(task, error),
      )
      .finally(() => {
        this.inFlight -= 1;
        answered();
      });
  }

  /**
   * An agent's reply that has waited out its deadline is answered "not sent" at once, so the agent can see it and
   * send again, instead of sitting behind rate-limit holds that may last minutes (Meta announces them in minutes).
   */
  private giveUpAfter(task: QueuedSend, deadlineMs: number): void {
    const queuedAtMs = this.nowMs();
    task.deadline = { queuedAtMs, atMs: queuedAtMs + deadlineMs };
    const timer = setTimeout(() => {
      if (this.queue.remove(task)) this.giveUp(task);
    }, deadlineMs);
    const { resolve, reject } = task;
    task.resolve = (value) => {
      clearTimeout(timer);
      resolve(value);
    };
    task.reject = (reason) => {
      clearTimeout(timer);
      reject(reason);
    };
  }

  private giveUp(task: QueuedSend): void {
    const waitedMs = this.nowMs() - (task.deadline?.queuedAtMs ?? this.nowMs());
    this.settings.logger.warn(
      { pageId: this.pageId, priority: task.priority, waitedMs },
      'send waited past its deadline; given up unsent',
    );
    task.reject(new GraphError({ kind: 'not_sent_in_time', waitedMs }));
  }

  private retryOrFail(task: QueuedSend, error: unknown): void {
    const isRetryable =
      isGraphError(error, 'rate_limited') && task.rateLimitedAttempts < this.settings.maxRateLimitRetries;
    if (this.closed || !isRetryable) return task.reject(error);
    // Refused by the rate limit after its deadline: putting it back would only make it wait longer.
    if (task.deadline && this.nowMs() >= task.deadline.atMs) return this.giveUp(task);
    // Meta refused the call, so nothing went out: running the task again cannot send twice.
    task.rateLimitedAttempts += 1;
    this.waitOutRateLimit(error.outcome.kind === 'rate_limited' ? error.outcome.waitMs : 0);
    this.queue.putBack(task);
    this.drain();
  }

  /** Holds the Page for Meta's regain time, or a growing backoff when Meta gave none, never beyond the cap. */
  private waitOutRateLimit(regainMs: number): void {
    const now = this.nowMs();
    // Sends already in flight when the limit hit are refused too; they belong to the same episode.
    const isNewEpisode = now >= this.pausedUntilMs;
    if (isNewEpisode) this.consecutiveRateLimits += 1;
    const { baseDelayMs, maxDelayMs } = this.settings.rateLimitWait;
    const backoffMs = baseDelayMs * 2 ** (this.consecutiveRateLimits - 1) * (0.5 + Math.random() / 2);
    const waitMs = Math.min(maxDelayMs, Math.max(regainMs, backoffMs));
    if (now + waitMs <= this.pausedUntilMs) return;
    this.pausedUntilMs = now + waitMs;
    if (isNewEpisode) {
      this.settings.logger.warn(
        { pageId: this.pageId, waitMs: Math.round(waitMs) },
        'page rate limited; holding its sends',
      );
    }
  }
}
