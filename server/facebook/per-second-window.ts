/**
 * The sends a Page started in the last second. Meta states its limit as calls per second per Page; whatever the
 * token bucket allows after a stall, this keeps any one-second span at or under the rate.
 */
export class PerSecondWindow {
  private readonly startedAtMs: number[] = [];

  hasRoom(nowMs: number, ratePerSecond: number): boolean {
    this.forgetOlderThanASecond(nowMs);
    return this.startedAtMs.length < Math.max(1, Math.floor(ratePerSecond));
  }

  /** Only meaningful when `hasRoom` just answered false. */
  msUntilRoom(nowMs: number): number {
    const oldest = this.startedAtMs[0];
    return oldest === undefined ? 0 : oldest + 1000 - nowMs;
  }

  record(nowMs: number): void {
    this.startedAtMs.push(nowMs);
  }

  private forgetOlderThanASecond(nowMs: number): void {
    while (this.startedAtMs.length > 0 && (this.startedAtMs[0] ?? nowMs) <= nowMs - 1000)
      this.startedAtMs.shift();
  }
}
