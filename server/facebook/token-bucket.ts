/**
 * A token bucket whose rate may change between calls (the governor halves it while Meta reports high usage).
 *
 * Written here rather than taken from `limiter` or `bottleneck`: those read `Date.now()` themselves and own the
 * waiting, while the governor needs an injected clock and must ask "may the head of this Page's queue go now, and if
 * not, when?" so that a live reply queued later still goes before a broadcast queued earlier.
 */
export class TokenBucket {
  private tokens = 1;
  private refilledAtMs: number;

  /**
   * @param burstMs how many milliseconds of sending may be saved up, so that late timers do not lower the average
   *   rate.
   */
  constructor(
    nowMs: number,
    private readonly burstMs: number,
  ) {
    this.refilledAtMs = nowMs;
  }

  tryTake(nowMs: number, ratePerSecond: number): boolean {
    this.refill(nowMs, ratePerSecond);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /**
   * Keeps at most one saved token. Savings exist to make up for stalls during a backlog; a Page that went quiet
   * starts again at an even pace rather than with a burst.
   */
  forgetSavings(nowMs: number, ratePerSecond: number): void {
    this.refill(nowMs, ratePerSecond);
    this.tokens = Math.min(this.tokens, 1);
  }

  msUntilNextToken(nowMs: number, ratePerSecond: number): number {
    this.refill(nowMs, ratePerSecond);
    return Math.max(0, ((1 - this.tokens) * 1000) / ratePerSecond);
  }

  private refill(nowMs: number, ratePerSecond: number): void {
    const capacity = Math.max(1, (ratePerSecond * this.burstMs) / 1000);
    // A clock that moved backwards adds nothing rather than removing tokens.
    const elapsedMs = Math.max(0, nowMs - this.refilledAtMs);
    this.tokens = Math.min(capacity, this.tokens + (elapsedMs * ratePerSecond) / 1000);
    this.refilledAtMs = nowMs;
  }
}
