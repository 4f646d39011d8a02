import { Types } from 'mongoose';
import { BroadcastModel } from '../../models/broadcast';
import {
  BroadcastBatchResultModel,
  BroadcastLaneModel,
  BroadcastLaneTallyModel,
  type OutcomeCounts,
} from '../../models/broadcast-batch';
import { batchOfClaim } from '../../models/broadcast-send-claim';
import type { Logger } from '../platform/logger';
import type { BroadcastProgressEvent } from '../realtime/events';
import { createClaimTally, type ClaimTally } from './batch-claims';

export interface ProgressReporter {
  /** Starts reporting a broadcast (once per process, however many Pages send it) until it stops sending. */
  track(broadcastId: string, workspaceId: string): void;
  /** What one claim of this process records: in this process's progress at once, in every other's within `everyMs`. */
  claimTally(broadcastId: string, lane: string, claimId: string): ClaimTally;
  stop(): void;
}

/** How far back the rate looks: long enough to smooth the Page's pace, short enough to follow a rate limit. */
const rateWindowMs = 5_000;

/**
 * `broadcast:progress` to the workspace's admins every `everyMs` while a broadcast sends (from the fan-out on): the
 * dashboard draws its bar from it. Counts come from the finished batches (one small document per 50 recipients), the
 * lanes' tallies of batches other processes are sending, and this process's own claims as they record. A count of
 * the database runs in the background and a tick never waits for it; the numbers never go back (a batch between its
 * last tally and its result is briefly uncounted), and `remaining` only ever falls.
 */
export function createProgressReporter(options: {
  everyMs: number;
  emit(workspaceId: string, event: BroadcastProgressEvent): void;
  logger: Logger;
}): ProgressReporter {
  const timers = new Map<string, NodeJS.Timeout>();
  /** This process's claims still recording, by broadcast: counted from memory, not from their tallies. */
  const ownClaims = new Map<string, Map<string, ClaimTally>>();

  async function count(broadcastId: string): Promise<Counted> {
    const startedAt = Date.now();
    const id = new Types.ObjectId(broadcastId);
    const [broadcast, lanes, finished] = await Promise.all([
      BroadcastModel.findById(broadcastId).select({ state: 1, expectedRecipients: 1, fannedOutAt: 1 }).lean(),
      BroadcastLaneModel.find({ broadcast: id }).select({ recipients: 1 }).lean(),
      BroadcastBatchResultModel.find({ broadcast: id })
        .select({ sent: 1, skipped: 1, failed: 1, unknown: 1 })
        .lean(),
    ]);
    const tallies = await BroadcastLaneTallyModel.find({
      _id: { $in: lanes.map((lane) => lane._id) },
    }).lean();
    // Claims of this process that may have written their tally by now are counted from memory at each tick.
    const own = ownClaims.get(broadcastId);
    const finishedIds = new Set(finished.map((batch) => batch._id));
    const othersUnfinished = tallies.flatMap((tally) =>
      Object.entries(tally?.claims ?? {})
        .filter(([claimId]) => !finishedIds.has(batchOfClaim(claimId)) && !own?.has(claimId))
        .map(([, counts]) => counts),
    );
    const recorded = sumOf([...finished, ...othersUnfinished]);
    const written = lanes.reduce((sum, lane) => sum + lane.recipients, 0);
    const expected = broadcast?.expectedRecipients;
    let recipients: number | null = written;
    if (!broadcast?.fannedOutAt) recipients = expected === undefined ? null : Math.max(expected, written);
    return { state: broadcast?.state ?? 'failed', recorded, recipients, tookMs: Date.now() - startedAt };
  }

  function untrack(broadcastId: string) {
    clearInterval(timers.get(broadcastId));
    timers.delete(broadcastId);
  }

  return {
    track(broadcastId, workspaceId) {
      if (timers.has(broadcastId)) return;
      let latest: Counted | undefined;
      let countedAt = 0;
      let counting = false;
      const report = createReport(broadcastId);
      const emit = () => {
        if (!latest) return;
        const mine = [...(ownClaims.get(broadcastId)?.values() ?? [])].map((tally) => tally.counts());
        options.emit(workspaceId, report.next(latest, sumOf([latest.recorded, ...mine])));
      };
      const recount = () => {
        counting = true;
        count(broadcastId)
          .then((counted) => {
            latest = counted;
            countedAt = Date.now();
            if (counted.state !== 'sending') untrack(broadcastId);
            emit();
          })
          .catch((error: unknown) =>
            options.logger.warn({ err: error, broadcastId }, 'progress count failed'),
          )
          .finally(() => (counting = false));
      };
      const timer = setInterval(() => {
        // A slow count waits as long as it took before the next, so progress never takes more than half of what the
        // database gives this broadcast. Meanwhile the tick reports the last count with this process's own sends since.
        if (!counting && Date.now() - countedAt >= (latest?.tookMs ?? 0)) recount();
        else emit();
      }, options.everyMs);
      timers.set(broadcastId, timer);
      recount();
    },
    claimTally(broadcastId, lane, claimId) {
      const claims = ownClaims.get(broadcastId) ?? new Map<string, ClaimTally>();
      ownClaims.set(broadcastId, claims);
      const tally = createClaimTally(lane, claimId, options.everyMs, () => {
        claims.delete(claimId);
        if (claims.size === 0) ownClaims.delete(broadcastId);
      });
      claims.set(claimId, tally);
      return tally;
    },
    stop() {
      for (const id of [...timers.keys()]) untrack(id);
    },
  };
}

/** The events of one broadcast in one process: counts that never go back, and a rate over the last seconds. */
function createReport(broadcastId: string) {
  let shown: OutcomeCounts = { sent: 0, skipped: 0, failed: 0, unknown: 0 };
  let remainingShown: number | null = null;
  const history: { at: number; sent: number }[] = [];
  return {
    next(counted: Counted, recorded: OutcomeCounts): BroadcastProgressEvent {
      shown = {
        sent: Math.max(shown.sent, recorded.sent),
        skipped: Math.max(shown.skipped, recorded.skipped),
        failed: Math.max(shown.failed, recorded.failed),
        unknown: Math.max(shown.unknown, recorded.unknown),
      };
      const done = shown.sent + shown.skipped + shown.failed + shown.unknown;
      if (counted.recipients !== null) {
        const remaining = Math.max(0, counted.recipients - done);
        remainingShown = remainingShown === null ? remaining : Math.min(remainingShown, remaining);
      }
      const at = Date.now();
      history.push({ at, sent: shown.sent });
      while (history.length > 1 && at - history[0]!.at > rateWindowMs) history.shift();
      const oldest = history[0]!;
      const ratePerSecond = at > oldest.at ? ((shown.sent - oldest.sent) * 1000) / (at - oldest.at) : 0;
      return {
        broadcastId,
        state: counted.state,
        ...shown,
        remaining: remainingShown,
        ratePerSecond: Math.round(ratePerSecond * 10) / 10,
        etaSeconds:
          ratePerSecond > 0 && remainingShown !== null ? Math.ceil(remainingShown / ratePerSecond) : null,
      };
    },
  };
}

function sumOf(counts: OutcomeCounts[]): OutcomeCounts {
  const sum = { sent: 0, skipped: 0, failed: 0, unknown: 0 };
  for (const one of counts) {
    sum.sent += one.sent;
    sum.skipped += one.skipped;
    sum.failed += one.failed;
    sum.unknown += one.unknown;
  }
  return sum;
}

interface Counted {
  state: BroadcastProgressEvent['state'];
  /** What the database holds, less this process's claims still recording. */
  recorded: OutcomeCounts;
  /** Everyone the broadcast goes to: the fan-out's count, or the audience counted at the start until it is done. */
  recipients: number | null;
  tookMs: number;
}
