import { XAdsRateWindowModel } from '../../models/x-ads-rate-window';
import { isDuplicateKey } from '../platform/database/duplicate-key';

/** What X's rate-limit headers said after a call: `limit`, `remaining`, and the reset as epoch ms. */
export interface RateWindowReport {
  limit: number;
  remaining: number;
  resetAt: number;
}

/** X Ads' headers: the ads-account level when present, else the user-token level (docs: "Rate limiting"). */
export function rateWindowFrom(headers: Record<string, unknown>): RateWindowReport | undefined {
  for (const prefix of ['x-account-rate-limit', 'x-rate-limit']) {
    const limit = Number(headers[`${prefix}-limit`]);
    const remaining = Number(headers[`${prefix}-remaining`]);
    const reset = Number(headers[`${prefix}-reset`]);
    if ([limit, remaining, reset].every(Number.isFinite) && headers[`${prefix}-limit`] !== undefined) {
      return { limit, remaining, resetAt: reset * 1000 };
    }
  }
  return undefined;
}

const learningPollMs = 25;

export type Turn = { go: true } | { go: false; waitMs: number };

/**
 * Rate windows as every process sees them. `take` spends one call of a window whose state X reported, while more
 * than the reserve is left; a window nobody knows yet (or whose reset passed) lets one call through to learn it,
 * and the others wait for its answer.
 */
export interface RateWindowStore {
  take(key: string, now: number): Promise<Turn>;
  report(key: string, window: RateWindowReport, now: number): Promise<void>;
}

/**
 * The store in the database: one document per window, `remaining` counting the calls still spendable (what X said
 * less the reserve, less the calls taken since). Taking is a conditional $inc, so two processes never spend the same
 * call; a report lowers `remaining` within a window and replaces it for a newer one.
 */
export function createDatabaseRateWindows({
  reserveOf,
  probeHoldMs,
}: {
  /** How many of a window's calls to leave unused; at least 1 and at least the calls that may be in flight at once. */
  reserveOf: (limit: number) => number;
  /** How long a call learning an unknown window holds the others back should its answer never come. */
  probeHoldMs: number;
}): RateWindowStore {
  return {
    async take(key, now) {
      const spent = await XAdsRateWindowModel.findOneAndUpdate(
        { _id: key, resetAt: { $gt: new Date(now) }, remaining: { $gt: 0 } },
        { $inc: { remaining: -1 } },
      ).lean();
      if (spent) return { go: true };
      const known = await XAdsRateWindowModel.findById(key).lean();
      if (!known) {
        try {
          await XAdsRateWindowModel.create({
            _id: key,
            limit: 0,
            remaining: 0,
            resetAt: new Date(now + probeHoldMs),
          });
          return { go: true };
        } catch (error) {
          if (isDuplicateKey(error)) return { go: false, waitMs: learningPollMs };
          throw error;
        }
      }
      const resetAt = known.resetAt.getTime();
      // Another call is learning the window (limit 0 marks its placeholder): its answer comes soon.
      if (resetAt > now) return { go: false, waitMs: known.limit === 0 ? learningPollMs : resetAt - now };
      const probe = await XAdsRateWindowModel.updateOne(
        { _id: key, resetAt: known.resetAt },
        { $set: { limit: 0, remaining: 0, resetAt: new Date(now + probeHoldMs) } },
      );
      return probe.modifiedCount === 1 ? { go: true } : { go: false, waitMs: learningPollMs };
    },

    async report(key, { limit, remaining, resetAt }, now) {
      // An answer from a window that has ended already tells nothing about the current one.
      if (resetAt <= now) return;
      const spendable = remaining - reserveOf(limit);
      const resetDate = new Date(resetAt);
      // X's window differs from the one stored (a newer window, a limit X changed, or the placeholder of a call that
      // was learning it): X's word replaces ours.
      const replaced = await XAdsRateWindowModel.updateOne(
        { _id: key, $or: [{ resetAt: { $ne: resetDate } }, { limit: { $ne: limit } }] },
        { $set: { limit, remaining: spendable, resetAt: resetDate } },
      );
      if (replaced.modifiedCount === 1) return;
      // The same window: answers arrive out of order, so X's count only ever lowers ours.
      await XAdsRateWindowModel.updateOne(
        { _id: key, resetAt: resetDate, remaining: { $gt: spendable } },
        { $set: { remaining: spendable } },
      );
    },
  };
}

export interface RatePacer {
  /** Runs the call when its window allows, waiting for the reset rather than spending the reserve; reports X's answer. */
  run<T>(
    key: string,
    call: () => Promise<{ headers: Record<string, unknown> } & T>,
  ): Promise<T & { headers: Record<string, unknown> }>;
  /** How many times a call waited for room: a run that never waited never neared the limit. */
  waits(): number;
}

/** The pacer every X Ads call goes through; windows are shared through the store, the wait is this process's. */
export function createRatePacer({
  store,
  now = () => Date.now(),
  maxWaitMs,
}: {
  store: RateWindowStore;
  now?: () => number;
  /** The longest one call may wait for room in all (X's windows are 15 minutes). */
  maxWaitMs: number;
}): RatePacer {
  let waits = 0;
  return {
    async run(key, call) {
      const started = now();
      for (;;) {
        const turn = await store.take(key, now());
        if (turn.go) break;
        waits += 1;
        if (now() - started + turn.waitMs > maxWaitMs) {
          throw new Error(`X Ads rate window ${key} has no room within ${maxWaitMs} ms`);
        }
        await new Promise((resolve) => setTimeout(resolve, Math.max(1, turn.waitMs)));
      }
      const answer = await call();
      const window = rateWindowFrom(answer.headers);
      if (window) await store.report(key, window, now());
      return answer;
    },
    waits: () => waits,
  };
}
