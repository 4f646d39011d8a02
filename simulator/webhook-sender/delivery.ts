import { setMaxListeners } from 'node:events';
import type { SimulatorLogger, WebhookSettings } from '../settings';
import { envelope, serialise, type WebhookEntry } from './envelope';
import { postWebhook } from './post';
import { sign } from './signer';

export interface DeliveryAttempt {
  /** One id per webhook body; retries and duplicates of it share the id. */
  deliveryId: number;
  attempt: number;
  /** 0 for the first delivery, 1..N for the configured duplicate deliveries. */
  duplicate: number;
  url: string;
  status: number | null;
  error: string | null;
  body: string;
  signature256: string;
  signature1: string;
  entries: number;
  /** Simulated time of the attempt. */
  time: number;
  durationMs: number;
  /** The last attempt of a body that never got a 200. */
  gaveUp: boolean;
}

const BATCH_LANE = '__batch__';

/** Every POST in flight listens to it, up to `maxConcurrentDeliveries` at once. */
function cancellation(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

/**
 * Meta's side of delivery: one lane per conversation so order holds within it, retries with backoff on a non-2xx
 * or a timeout, optional batching of entries and optional duplicate deliveries.
 */
export class WebhookDelivery {
  readonly attempts: DeliveryAttempt[] = [];
  private readonly lanes = new Map<string, WebhookEntry[][]>();
  private batch: WebhookEntry[] = [];
  private batchTimer: NodeJS.Timeout | null = null;
  private readonly sleeps = new Set<NodeJS.Timeout>();
  private idleWaiters: (() => void)[] = [];
  private abort = cancellation();
  private nextDeliveryId = 1;
  private postsInFlight = 0;
  private readonly waitingToPost: (() => void)[] = [];

  constructor(
    private readonly settings: () => WebhookSettings,
    private readonly appSecret: string,
    private readonly now: () => number,
    private readonly logger: SimulatorLogger,
  ) {}

  enqueue(lane: string, entry: WebhookEntry): void {
    const batching = this.settings().batchEntries;
    if (!batching) return this.pushLane(lane, [entry]);
    this.batch.push(entry);
    if (this.batch.length >= batching.maxEntries) return this.flushBatch();
    this.batchTimer ??= setTimeout(() => this.flushBatch(), batching.windowMs);
  }

  flushBatch(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    if (this.batch.length === 0) return;
    const entries = this.batch;
    this.batch = [];
    this.pushLane(BATCH_LANE, entries);
  }

  isIdle(): boolean {
    return this.lanes.size === 0 && this.batch.length === 0;
  }

  waitForIdle(timeoutMs: number): Promise<boolean> {
    if (this.isIdle()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((waiter) => waiter !== onIdle);
        resolve(false);
      }, timeoutMs);
      const onIdle = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.push(onIdle);
    });
  }

  /** Drops everything queued or in flight (reset and stop). */
  cancelAll(): void {
    this.abort.abort();
    this.abort = cancellation();
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    for (const sleep of this.sleeps) clearTimeout(sleep);
    this.sleeps.clear();
    this.batch = [];
    this.lanes.clear();
    this.attempts.length = 0;
    for (const waiting of this.waitingToPost.splice(0)) waiting();
    this.notifyIfIdle();
  }

  private pushLane(lane: string, entries: WebhookEntry[]): void {
    const queue = this.lanes.get(lane);
    if (queue) {
      queue.push(entries);
      return;
    }
    this.lanes.set(lane, [entries]);
    void this.drain(lane, this.abort.signal);
  }

  private async drain(lane: string, cancelled: AbortSignal): Promise<void> {
    for (let queue = this.lanes.get(lane); queue?.[0]; queue = this.lanes.get(lane)) {
      await this.deliver(queue[0], cancelled);
      if (cancelled.aborted) return;
      queue.shift();
      if (queue.length === 0) this.lanes.delete(lane);
    }
    this.notifyIfIdle();
  }

  private async deliver(entries: WebhookEntry[], cancelled: AbortSignal): Promise<void> {
    const deliveryId = this.nextDeliveryId++;
    const body = serialise(envelope(entries));
    for (let duplicate = 0; duplicate <= this.settings().duplicateDeliveries; duplicate++) {
      await this.deliverWithRetries({ deliveryId, duplicate, body, entries: entries.length }, cancelled);
      if (cancelled.aborted) return;
    }
  }

  private async deliverWithRetries(
    job: { deliveryId: number; duplicate: number; body: string; entries: number },
    cancelled: AbortSignal,
  ): Promise<void> {
    for (let attempt = 1; !cancelled.aborted; attempt++) {
      const retryIn = this.settings().retryDelaysMs[attempt - 1];
      const delivered = await this.attempt({ ...job, attempt }, retryIn === undefined, cancelled);
      // Cancelled while the attempt was on its way: no retry, and no wait that would outlive the cancel.
      if (delivered || retryIn === undefined || cancelled.aborted) return;
      await this.sleep(retryIn);
    }
  }

  private async attempt(
    job: { deliveryId: number; duplicate: number; body: string; entries: number; attempt: number },
    isLast: boolean,
    cancelled: AbortSignal,
  ): Promise<boolean> {
    const { callbackUrl, timeoutMs } = this.settings();
    if (!callbackUrl) return false;
    const posted = await this.turnToPost();
    try {
      return await this.post(job, isLast, cancelled, callbackUrl, timeoutMs);
    } finally {
      posted();
    }
  }

  /** Waits until fewer than `maxConcurrentDeliveries` POSTs are in flight; the returned function ends this one. */
  private async turnToPost(): Promise<() => void> {
    while (this.postsInFlight >= Math.max(1, this.settings().maxConcurrentDeliveries)) {
      await new Promise<void>((resolve) => this.waitingToPost.push(resolve));
    }
    this.postsInFlight += 1;
    return () => {
      this.postsInFlight -= 1;
      this.waitingToPost.shift()?.();
    };
  }

  private async post(
    job: { deliveryId: number; duplicate: number; body: string; entries: number; attempt: number },
    isLast: boolean,
    cancelled: AbortSignal,
    callbackUrl: string,
    timeoutMs: number,
  ): Promise<boolean> {
    if (cancelled.aborted) return false;
    const signatures = sign(job.body, this.appSecret);
    const started = Date.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      status = await postWebhook(
        callbackUrl,
        { 'content-type': 'application/json', ...signatures },
        job.body,
        { cancelled, timeoutMs },
      );
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    if (cancelled.aborted) return false;
    const delivered = status !== null && status >= 200 && status < 300;
    this.attempts.push({
      ...job,
      url: callbackUrl,
      status,
      error,
      signature256: signatures['x-hub-signature-256'],
      signature1: signatures['x-hub-signature'],
      time: this.now(),
      durationMs: Date.now() - started,
      gaveUp: !delivered && isLast,
    });
    if (!delivered) this.logger.warn({ status, error, attempt: job.attempt }, 'webhook delivery failed');
    return delivered;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleeps.delete(timer);
        resolve();
      }, ms);
      this.sleeps.add(timer);
    });
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const waiter of waiters) waiter();
  }
}
