import type { XAdsRateLimitSettings } from './settings';

export interface RateAnswer {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch seconds when the window ends, as X sends it. */
  resetSeconds: number;
}

/** What the tests read back: how many calls were served and refused, and the fewest ever left in a window. */
export interface RateTally {
  served: number;
  refused: number;
  lowestRemaining: number | null;
}

/**
 * Fixed windows aligned to multiples of `windowMs` of real time, counted per key (an ads account and endpoint, or a
 * token and endpoint). Over the limit the call is refused with 429 until the window ends.
 */
export class XAdsRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  tally: RateTally = { served: 0, refused: 0, lowestRemaining: null };

  constructor(private readonly settings: () => XAdsRateLimitSettings) {}

  take(key: string, now = Date.now()): RateAnswer {
    const { limit, windowMs } = this.settings();
    const start = Math.floor(now / windowMs) * windowMs;
    const window = this.windows.get(key);
    const current = window && window.start === start ? window : { start, count: 0 };
    this.windows.set(key, current);
    const resetSeconds = Math.ceil((start + windowMs) / 1000);
    if (current.count >= limit) {
      this.tally.refused += 1;
      return { allowed: false, limit, remaining: 0, resetSeconds };
    }
    current.count += 1;
    const remaining = limit - current.count;
    this.tally.served += 1;
    this.tally.lowestRemaining = Math.min(this.tally.lowestRemaining ?? remaining, remaining);
    return { allowed: true, limit, remaining, resetSeconds };
  }

  reset(): void {
    this.windows.clear();
    this.tally = { served: 0, refused: 0, lowestRemaining: null };
  }
}
