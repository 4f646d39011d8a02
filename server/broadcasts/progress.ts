import { Types } from 'mongoose';
import { BroadcastModel } from '../../models/broadcast';
import {
  BroadcastBatchResultModel,
  BroadcastLaneModel,
  BroadcastLaneTallyModel,
} from '../../models/broadcast-batch';
import { batchOfClaim } from '../../models/broadcast-send-claim';
import type { Logger } from '../platform/logger';
import type { BroadcastProgressEvent } from '../realtime/events';

export interface ProgressReporter {
  /** Starts reporting a broadcast (once per process, however many Pages send it) until it stops sending. */
  track(broadcastId: string, workspaceId: string): void;
  stop(): void;
}

/**
 * `broadcast:progress` to the workspace's admins at least once a second while a broadcast sends (from the fan-out
 * on): the dashboard draws its bar from it. Counts come from the lanes (recipients written), the finished batches
 * (one small document per 50 recipients) and the lanes' tallies of batches still sending, so every process
 * that sends reports the same numbers.
 */
export function createProgressReporter(options: {
  everyMs: number;
  emit(workspaceId: string, event: BroadcastProgressEvent): void;
  logger: Logger;
}): ProgressReporter {
  const timers = new Map<string, NodeJS.Timeout>();

  async function count(broadcastId: string): Promise<Counted> {
    const startedAt = Date.now();
    const id = new Types.ObjectId(broadcastId);
    const [broadcast, lanes, finished] = await Promise.all([
      BroadcastModel.findById(broadcastId).select({ state: 1 }).lean(),
      BroadcastLaneModel.find({ broadcast: id }).select({ recipients: 1 }).lean(),
      BroadcastBatchResultModel.find({ broadcast: id })
        .select({ sent: 1, skipped: 1, failed: 1, unknown: 1 })
        .lean(),
    ]);
    // One lookup by `_id` per Page: FerretDB scans for anything else.
    const tallies = await Promise.all(lanes.map((lane) => BroadcastLaneTallyModel.findById(lane._id).lean()));
    const all = { recipients: 0, sent: 0, skipped: 0, failed: 0 };
    for (const lane of lanes) all.recipients += lane.recipients;
    const finishedIds = new Set(finished.map((batch) => batch._id));
    const unfinished = tallies.flatMap((tally) =>
      Object.entries(tally?.claims ?? {})
        .filter(([claimId]) => !finishedIds.has(batchOfClaim(claimId)))
        .map(([, counts]) => counts),
    );
    for (const counts of [...finished, ...unfinished]) {
      all.sent += counts.sent;
      all.skipped += counts.skipped;
      all.failed += counts.failed + counts.unknown;
    }
    return { state: broadcast?.state ?? 'failed', all, at: Date.now(), tookMs: Date.now() - startedAt };
  }

  function eventOf(
    broadcastId: string,
    latest: Counted,
    previous: Counted | undefined,
  ): BroadcastProgressEvent {
    const { all } = latest;
    const sentSince = all.sent - (previous?.all.sent ?? 0);
    const ratePerSecond = previous
      ? Math.max(0, (sentSince * 1000) / Math.max(1, latest.at - previous.at))
      : 0;
    const remaining = Math.max(0, all.recipients - all.sent - all.skipped - all.failed);
    return {
      broadcastId,
      state: latest.state,
      sent: all.sent,
      failed: all.failed,
      skipped: all.skipped,
      remaining,
      ratePerSecond: Math.round(ratePerSecond * 10) / 10,
      etaSeconds: ratePerSecond > 0 ? Math.ceil(remaining / ratePerSecond) : null,
    };
  }

  function untrack(broadcastId: string) {
    clearInterval(timers.get(broadcastId));
    timers.delete(broadcastId);
  }

  return {
    track(broadcastId, workspaceId) {
      if (timers.has(broadcastId)) return;
      let latest: Counted | undefined;
      let previous: Counted | undefined;
      let counting = false;
      const recount = () => {
        counting = true;
        count(broadcastId)
          .then((counted) => {
            previous = latest;
            latest = counted;
            options.emit(workspaceId, eventOf(broadcastId, counted, previous));
            if (counted.state !== 'sending') untrack(broadcastId);
          })
          .catch((error: unknown) =>
            options.logger.warn({ err: error, broadcastId }, 'progress report failed'),
          )
          .finally(() => (counting = false));
      };
      const timer = setInterval(() => {
        if (counting) return;
        // Counting scans the lanes and finished batches on the embedded FerretDB, and one connection serves the
        // whole process there: count again only once five times the last count has passed, so progress takes at
        // most a sixth of the database's time, and repeat the last numbers in between.
        if (!latest || Date.now() - latest.at >= 5 * latest.tookMs) return recount();
        options.emit(workspaceId, eventOf(broadcastId, latest, previous));
      }, options.everyMs);
      timers.set(broadcastId, timer);
      recount();
    },
    stop() {
      for (const id of [...timers.keys()]) untrack(id);
    },
  };
}

interface Counted {
  state: BroadcastProgressEvent['state'];
  /** `failed` includes sends whose outcome is unknown. */
  all: { recipients: number; sent: number; skipped: number; failed: number };
  at: number;
  tookMs: number;
}
