import { BroadcastModel } from '../../models/broadcast';
import type { Logger } from '../platform/logger';
import type { BroadcastProgressEvent } from '../realtime/events';
import { totalsOf } from './stats';

export interface ProgressReporter {
  /** Starts reporting a broadcast (once per process, however many Pages send it) until it stops sending. */
  track(broadcastId: string, workspaceId: string): void;
  stop(): void;
}

/**
 * `broadcast:progress` to the workspace's admins at least once a second while a broadcast sends (from the fan-out on): the dashboard draws its bar
 * from it. Counts come from the recipients, so every process that sends reports the same numbers.
 */
export function createProgressReporter(options: {
  everyMs: number;
  emit(workspaceId: string, event: BroadcastProgressEvent): void;
  logger: Logger;
}): ProgressReporter {
  const timers = new Map<string, NodeJS.Timeout>();

  async function report(broadcastId: string, workspaceId: string, previous: { sent: number; at: number }) {
    const [broadcast, { all }] = await Promise.all([
      BroadcastModel.findById(broadcastId).select({ state: 1 }).lean(),
      totalsOf(broadcastId),
    ]);
    const now = Date.now();
    const ratePerSecond = Math.max(0, ((all.sent - previous.sent) * 1000) / Math.max(1, now - previous.at));
    const remaining = all.pending + all.sending;
    options.emit(workspaceId, {
      broadcastId,
      state: broadcast?.state ?? 'failed',
      sent: all.sent,
      failed: all.failed + all.unknown,
      skipped: all.skipped,
      remaining,
      ratePerSecond: Math.round(ratePerSecond * 10) / 10,
      etaSeconds: ratePerSecond > 0 ? Math.ceil(remaining / ratePerSecond) : null,
    });
    Object.assign(previous, { sent: all.sent, at: now });
    if (broadcast?.state !== 'sending') untrack(broadcastId);
  }

  function untrack(broadcastId: string) {
    clearInterval(timers.get(broadcastId));
    timers.delete(broadcastId);
  }

  return {
    track(broadcastId, workspaceId) {
      if (timers.has(broadcastId)) return;
      const previous = { sent: 0, at: Date.now() };
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        busy = true;
        report(broadcastId, workspaceId, previous)
          .catch((error: unknown) =>
            options.logger.warn({ err: error, broadcastId }, 'progress report failed'),
          )
          .finally(() => (busy = false));
      }, options.everyMs);
      timers.set(broadcastId, timer);
    },
    stop() {
      for (const id of [...timers.keys()]) untrack(id);
    },
  };
}
