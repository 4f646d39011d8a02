/** One send in the window: when it started, and when its answer came (Infinity while it is in flight). */
export interface WindowEntry {
  startedAtMs: number;
  answeredAtMs: number;
}

/**
 * The sends a Page made in the last second. Meta states its limit as calls per second per Page; whatever the token
 * bucket allows after a stall, this keeps any one-second span at or under the rate *as Meta counts it*.
 *
 * Meta counts a call when it arrives, which is somewhere between our start and its answer. Counting by start time
 * lets a slow call and a fast one behind it arrive in the same second as Meta sees it, one over the limit: at a rate
 * equal to Meta's limit that happens within seconds, and the 613 costs the Page a whole minute (Meta announces the
 * wait in minutes). So a call stays in the window until a second after its answer: then it has surely left Meta's
 * window too, whatever the latency did. The price is the round trip, once per second of sending.
 */
export class PerSecondWindow {
  private entries: WindowEntry[] = [];

  hasRoom(nowMs: number, ratePerSecond: number): boolean {
    this.forgetAnsweredBefore(nowMs - 1000);
    return this.entries.length < Math.max(1, Math.floor(ratePerSecond));
  }

  /**
   * Only meaningful when `hasRoom` just answered false. Infinity when every counted send is still in flight: the
   * window has room again when one of them is answered (see `answered`).
   */
  msUntilRoom(nowMs: number): number {
    const earliest = Math.min(...this.entries.map((entry) => entry.answeredAtMs));
    return earliest + 1000 - nowMs;
  }

  record(nowMs: number): WindowEntry {
    const entry = { startedAtMs: nowMs, answeredAtMs: Infinity };
    this.entries.push(entry);
    return entry;
  }

  answered(entry: WindowEntry, nowMs: number): void {
    entry.answeredAtMs = nowMs;
  }

  private forgetAnsweredBefore(cutoffMs: number): void {
    if (this.entries.some((entry) => entry.answeredAtMs <= cutoffMs))
      this.entries = this.entries.filter((entry) => entry.answeredAtMs > cutoffMs);
  }
}
