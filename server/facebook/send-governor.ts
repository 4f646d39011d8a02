import { systemClock, type Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { PageSendLane, SendGovernorClosed, SendWithdrawn, type PageSendStats } from './page-send-lane';
import type { SendClass } from './send-pacer';
import type { SendPriority } from './send-queue';
import type { SharedSendWindow } from './shared-send-window';
import type { PageUsage } from './usage-headers';

export { SendGovernorClosed, SendWithdrawn, type PageSendStats } from './page-send-lane';
export type { SendPriority } from './send-queue';
export { sendClassOf, type SendClass } from './send-pacer';

export interface SendGovernorOptions {
  /** Calls per second per Page when `rateFor` gives none; Meta allows 300/s for text. */
  defaultRatePerSecond: number;
  /** Share of a limit (0–1) at which Meta's reported usage, while still climbing, halves the Page's rate. */
  slowdownThreshold?: number;
  /** How far back a usage reading is compared to tell climbing usage from steady usage; default 5 s. */
  usageTrendMs?: number;
  clock?: Clock;
  logger: Logger;
  /**
   * A Page's own text rate (e.g. its `sendRatePerSecond` in the database), undefined for the default. Read when the
   * Page is first seen and again every `rateRefreshMs` (default a minute); the Page waits for the first answer.
   */
  rateFor?: (pageId: string) => number | undefined | Promise<number | undefined>;
  rateRefreshMs?: number;
  /** Audio and video sends per second per Page, paced apart from text; Meta allows 10. */
  mediaRatePerSecond?: number;
  /**
   * How long a live-chat reply may wait for its turn before it fails with `not_sent_in_time`, so an agent learns
   * within seconds that Meta is holding the Page back instead of waiting behind minutes of rate-limit holds.
   * Other priorities wait: automation and broadcasts bound themselves (see `run`).
   */
  liveDeadlineMs?: number;
  /** Times one task is re-run after rate-limit refusals before its caller gets the error. */
  maxRateLimitRetries?: number;
  /**
   * The wait after a rate limit: Meta's regain time when it gives one, else exponential backoff from `baseDelayMs`;
   * never longer than `maxDelayMs`, after which one send probes whether access is back.
   */
  rateLimitWait?: { baseDelayMs: number; maxDelayMs: number };
  /** Keeps the sum of every process's sends at each Page's rate (REDIS_URL); absent in one process. */
  sharedWindow?: SharedSendWindow;
  /**
   * The share (0–1] of each Page's rate broadcast sends may use now; all of it when absent. The webhook receiver's
   * acknowledgement pressure (webhooks/ack-pressure.ts): a broadcast gives way to the process's webhook answers.
   */
  broadcastShare?: () => number;
}

export interface RunOptions {
  /** `media` for audio and video (see `sendClassOf`), which Meta limits apart from text; default `text`. */
  sendClass?: SendClass;
  /** Aborted before the task's turn, the task never runs and the call rejects with `SendWithdrawn`. */
  signal?: AbortSignal;
  /**
   * Work that must happen in the task's turn but before its call, such as recording the intent to send. It runs
   * before the Page's place in the deployment's shared window is taken, so that place covers the call alone: a place
   * counts in flight only for as long as a call can last, and work before the call, however slow, must not outlast
   * it while Meta has yet to count the call. Resolving false, the task does not run and `run` resolves undefined.
   */
  prepare?: () => Promise<boolean>;
  /**
   * Work `prepare` will wait for, started once the task is among the next sends of its Page (a fifth of a second of
   * them at the Page's rate, at most ten) instead of in its turn: a wait in the turn holds the Page's place in the
   * per-second window (per-second-window.ts) and so costs the Page rate. It must be safe to do early and then not
   * send (the task may still be withdrawn, or overtaken by more urgent sends); its errors are `prepare`'s to report.
   */
  prepareAhead?: () => void;
}

/**
 * Every send to Meta goes through `run`, so that each Page stays within its rate, agents' replies go before bots'
 * and bots' before broadcasts', and a rate-limited Page waits without holding up any other Page.
 */
export interface SendGovernor {
  /**
   * Runs `task` when the Page's rate allows and nothing more urgent is waiting; settles with the task's result. A
   * live reply not started within `liveDeadlineMs` fails with `not_sent_in_time`.
   *
   * Broadcast traffic has no length bound here because its callers bound it: a broadcast worker keeps at most
   * `batchSize × batchesInFlight` sends of a Page queued (600 by default), Agenda bounds how many workers run, and
   * each queued send checks its claim's lease before it starts, so a long hold releases it unsent rather than
   * letting it pile up. Strict priority means that queue never delays a live reply.
   */
  run<T>(
    pageId: string,
    priority: SendPriority,
    task: () => Promise<T>,
    options: RunOptions & Required<Pick<RunOptions, 'prepare'>>,
  ): Promise<T | undefined>;
  run<T>(pageId: string, priority: SendPriority, task: () => Promise<T>, options?: RunOptions): Promise<T>;
  /** Meta's usage report for the Page (wire the Graph client's `onUsage` here). */
  observeUsage(pageId: string, usage: PageUsage): void;
  /** Holds the Page's sends until `untilMs` (epoch ms on the governor's clock). */
  pause(pageId: string, untilMs: number): void;
  stats(pageId: string): PageSendStats;
  /** The stats of every Page this governor has seen, by Meta's Page id. */
  allStats(): [string, PageSendStats][];
  /** Refuses queued and future tasks and stops every timer; tasks already running finish. */
  close(): void;
}

export function createSendGovernor(options: SendGovernorOptions): SendGovernor {
  const lanes = new Map<string, PageSendLane>();
  const { rateFor } = options;
  let sequence = 0;
  let closed = false;

  function laneFor(pageId: string): PageSendLane {
    let lane = lanes.get(pageId);
    if (!lane) {
      lane = new PageSendLane(pageId, {
        clock: options.clock ?? systemClock,
        logger: options.logger,
        ...(rateFor ? { rateFor: () => rateFor(pageId) } : {}),
        defaultRatePerSecond: options.defaultRatePerSecond,
        rateRefreshMs: options.rateRefreshMs ?? 60_000,
        mediaRatePerSecond: options.mediaRatePerSecond ?? 10,
        slowdownPercent: (options.slowdownThreshold ?? 0.75) * 100,
        usageTrendMs: options.usageTrendMs ?? 5000,
        maxRateLimitRetries: options.maxRateLimitRetries ?? 5,
        rateLimitWait: options.rateLimitWait ?? { baseDelayMs: 1000, maxDelayMs: 15 * 60_000 },
        ...(options.sharedWindow ? { sharedWindow: options.sharedWindow } : {}),
        ...(options.broadcastShare ? { broadcastShare: options.broadcastShare } : {}),
      });
      lanes.set(pageId, lane);
    }
    return lane;
  }

  return {
    run<T>(
      pageId: string,
      priority: SendPriority,
      task: () => Promise<T>,
      runOptions?: RunOptions,
    ): Promise<T> {
      if (closed) return Promise.reject(new SendGovernorClosed());
      if (runOptions?.signal?.aborted) return Promise.reject(new SendWithdrawn());
      return new Promise<T>((resolve, reject) => {
        sequence += 1;
        const settle = resolve as (value: unknown) => void;
        const deadlineMs = priority === 'live' ? (options.liveDeadlineMs ?? 30_000) : undefined;
        laneFor(pageId).enqueue(
          {
            sequence,
            priority,
            sendClass: runOptions?.sendClass ?? 'text',
            ...(runOptions?.prepare ? { prepare: runOptions.prepare } : {}),
            ...(runOptions?.prepareAhead ? { prepareAhead: runOptions.prepareAhead } : {}),
            run: task,
            resolve: settle,
            reject,
            rateLimitedAttempts: 0,
          },
          deadlineMs,
          runOptions?.signal,
        );
      });
    },
    observeUsage: (pageId, usage) => laneFor(pageId).observeUsage(usage),
    pause: (pageId, untilMs) => laneFor(pageId).pause(untilMs),
    stats: (pageId) => laneFor(pageId).stats(),
    allStats: () => [...lanes].map(([pageId, lane]) => [pageId, lane.stats()]),
    close() {
      closed = true;
      for (const lane of lanes.values()) lane.close();
    },
  };
}
