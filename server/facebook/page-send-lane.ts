import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { GraphError, isGraphError } from './graph-outcomes';
import { PageRate, type RateLookup } from './page-rate';
import type { WindowEntry } from './per-second-window';
import { SendPacer, sendClasses, type SendClass } from './send-pacer';
import { sendPriorities, type QueuedSend, type SendPriority } from './send-queue';
import type { SharedSendWindow } from './shared-send-window';
import type { PageUsage } from './usage-headers';
import { UsageTrend } from './usage-trend';

/**
 * How far ahead of their turn sends start their `prepareAhead`: a fifth of a second of the Page's rate, since a
 * database write (a broadcast's intent to send) takes tens of milliseconds on a busy machine, and never more than ten
 * sends, which is what a crash may then leave counted as maybe sent.
 */
const prepareAheadSeconds = 0.2;
const mostPreparedAhead = 10;

export interface LaneSettings {
  clock: Clock;
  logger: Logger;
  /** The Page's own text rate, when it has one (looked up again every `rateRefreshMs`). */
  rateFor?: RateLookup;
  defaultRatePerSecond: number;
  rateRefreshMs: number;
  /** Audio and video sends per second (Meta: 10), paced apart from text. */
  mediaRatePerSecond: number;
  slowdownPercent: number;
  /** How far back a usage reading is compared to tell a climbing usage from a steady one (see UsageTrend). */
  usageTrendMs: number;
  maxRateLimitRetries: number;
  rateLimitWait: { baseDelayMs: number; maxDelayMs: number };
  /** The Page's sends of every process, when the deployment runs as several. */
  sharedWindow?: SharedSendWindow;
  /** The share (0–1] of the Page's rate broadcast sends may use now (see `SendGovernorOptions.broadcastShare`). */
  broadcastShare?: () => number;
}

export interface PageSendStats {
  queued: Record<SendPriority, number>;
  inFlight: number;
  sent: number;
  /** Text sends per second now (0 until the Page's rate is known). */
  ratePerSecond: number;
  mediaRatePerSecond: number;
  pausedUntil?: Date;
}

export class SendGovernorClosed extends Error {
  constructor() {
    super('The send governor was closed before this send could run');
    this.name = 'SendGovernorClosed';
  }
}

/** The caller's signal was aborted while its send waited for its turn: nothing went out. */
export class SendWithdrawn extends Error {
  constructor() {
    super('The send was withdrawn before its turn');
    this.name = 'SendWithdrawn';
  }
}

/**
 * One Page's sends: its own queues and paces (text and media apart), pause and timer. Nothing here is shared between
 * Pages, which is what keeps one Page's backlog or rate limit from slowing another. A rate limit pauses both classes:
 * Meta holds the Page, not one kind of message.
 */
export class PageSendLane {
  private readonly pacers: Record<SendClass, SendPacer>;
  private readonly configuredRate: PageRate;
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
    this.pacers = { text: new SendPacer(this.nowMs()), media: new SendPacer(this.nowMs()) };
    this.usage = new UsageTrend(settings.usageTrendMs);
    this.configuredRate = new PageRate(
      settings.rateFor,
      settings.defaultRatePerSecond,
      settings.rateRefreshMs,
      settings.logger.child({ pageId }),
    );
    this.configuredRate.refresh(this.nowMs(), () => this.drain());
  }

  /**
   * @param deadlineMs how long the task may wait for its turn (including waits after rate limits) before it is given
   *   up with `not_sent_in_time`. A task already running is never abandoned: its answer decides.
   * @param signal aborted, it takes the task out of the queue at once (rejecting with `SendWithdrawn`) instead of
   *   letting it wait out its turn, which may be minutes behind a rate-limit hold.
   */
  enqueue(task: QueuedSend, deadlineMs?: number, signal?: AbortSignal): void {
    if (deadlineMs !== undefined) this.giveUpAfter(task, deadlineMs);
    if (signal) this.withdrawOnAbort(task, signal);
    this.pacers[task.sendClass].add(task, this.nowMs(), this.rate(task.sendClass));
    this.configuredRate.refresh(this.nowMs(), () => this.drain());
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
    const counts = sendClasses.map((sendClass) => this.pacers[sendClass].queue.counts());
    const queued = Object.fromEntries(
      sendPriorities.map((priority) => [priority, counts.reduce((sum, count) => sum + count[priority], 0)]),
    ) as Record<SendPriority, number>;
    return {
      queued,
      inFlight: this.inFlight,
      sent: this.sent,
      ratePerSecond: this.rate('text'),
      mediaRatePerSecond: this.rate('media'),
      pausedUntil: isPaused ? new Date(this.pausedUntilMs) : undefined,
    };
  }

  /** Refuses what is queued; sends already running finish, but are not re-run after a rate limit. */
  close(): void {
    this.closed = true;
    clearTimeout(this.wakeTimer);
    for (const sendClass of sendClasses)
      for (const task of this.pacers[sendClass].queue.takeAll()) task.reject(new SendGovernorClosed());
  }

  private nowMs(): number {
    return this.settings.clock.now().getTime();
  }

  /** 0 while the Page's own rate is still being looked up. */
  private rate(sendClass: SendClass): number {
    const configured =
      sendClass === 'media' ? this.settings.mediaRatePerSecond : (this.configuredRate.current ?? 0);
    // Meta throttles when any usage figure reaches 100 %; easing off while usage climbs past the threshold keeps the
    // Page from being cut off. A high but steady usage is the Page at its own rate, which is safe (UsageTrend).
    const isNearingLimit =
      this.usage.latestPercent >= this.settings.slowdownPercent && this.usage.isRising(this.nowMs());
    return isNearingLimit ? configured / 2 : configured;
  }

  /** The part of the rate a priority may use now: broadcasts give way to webhook acknowledgements, the rest take all. */
  private shareOf(priority: SendPriority | undefined): number {
    return priority === 'broadcast' ? (this.settings.broadcastShare?.() ?? 1) : 1;
  }

  private drain(): void {
    clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    if (this.closed) return;
    const now = this.nowMs();
    const hasQueued = sendClasses.some((sendClass) => this.pacers[sendClass].queue.size > 0);
    if (!hasQueued) return;
    if (now < this.pausedUntilMs) return this.wakeIn(this.pausedUntilMs - now);
    // An unknown rate is waited for: the lookup drains again when it answers.
    if (this.configuredRate.current === undefined) return;
    let wakeInMs = Infinity;
    for (const sendClass of sendClasses) {
      wakeInMs = Math.min(wakeInMs, this.startWhatMayGo(sendClass, now));
      this.prepareNextAhead(sendClass);
    }
    this.wakeIn(wakeInMs);
  }

  /** Starts the `prepareAhead` of the next sends (see `prepareAheadSeconds`), once each. */
  private prepareNextAhead(sendClass: SendClass): void {
    const { queue } = this.pacers[sendClass];
    const count = Math.min(mostPreparedAhead, Math.ceil(this.rate(sendClass) * prepareAheadSeconds));
    for (const task of queue.front(count)) {
      const { prepareAhead } = task;
      if (!prepareAhead) continue;
      delete task.prepareAhead;
      try {
        prepareAhead();
      } catch {
        // Only a head start: `prepare`, in the task's turn, does the same work and reports its failure.
      }
    }
  }

  /** Starts every send of the class that its pace allows now; returns how long until the next may go. */
  private startWhatMayGo(sendClass: SendClass, now: number): number {
    const pacer = this.pacers[sendClass];
    const rate = this.rate(sendClass);
    for (;;) {
      const next = pacer.next(now, rate * this.shareOf(pacer.queue.nextPriority()));
      if ('waitMs' in next) return next.waitMs;
      this.start(next.task, pacer, next.entry);
    }
  }

  /** An infinite delay waits for an answer instead: `start` drains again when one comes. */
  private wakeIn(delayMs: number): void {
    if (!Number.isFinite(delayMs)) return;
    this.wakeTimer = setTimeout(() => this.drain(), Math.max(1, Math.ceil(delayMs)));
  }

  private start(task: QueuedSend, pacer: SendPacer, windowEntry: WindowEntry): void {
    this.inFlight += 1;
    let gotAnswer = true;
    const run = async () => {
      try {
        return await task.run();
      } catch (error) {
        if (isGraphError(error, 'unknown_outcome')) gotAnswer = false;
        throw error;
      }
    };
    const { sharedWindow } = this.settings;
    Promise.resolve()
      .then(async () => {
        if (task.prepare && !(await task.prepare())) return undefined;
        if (!sharedWindow) return run();
        const place = await sharedWindow.take(this.pageId, task.sendClass, this.rate(task.sendClass));
        try {
          return await run();
        } finally {
          place.ended(gotAnswer);
        }
      })
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
        pacer.ended(windowEntry, this.nowMs(), gotAnswer);
        if (this.wakeTimer === undefined) this.drain();
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
      if (this.pacers[task.sendClass].queue.remove(task)) this.giveUp(task);
    }, deadlineMs);
    whenSettled(task, () => clearTimeout(timer));
  }

  private withdrawOnAbort(task: QueuedSend, signal: AbortSignal): void {
    const withdraw = () => {
      if (this.pacers[task.sendClass].queue.remove(task)) task.reject(new SendWithdrawn());
    };
    signal.addEventListener('abort', withdraw, { once: true });
    whenSettled(task, () => signal.removeEventListener('abort', withdraw));
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
    this.pacers[task.sendClass].queue.putBack(task);
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

/** Runs `cleanup` as the task settles, whichever way. */
function whenSettled(task: QueuedSend, cleanup: () => void): void {
  const { resolve, reject } = task;
  task.resolve = (value) => {
    cleanup();
    resolve(value);
  };
  task.reject = (reason) => {
    cleanup();
    reject(reason);
  };
}
