/** One send in the window: until when it counts (Infinity while it is in flight). */
export interface WindowEntry {
  countsUntilMs: number;
}

/**
 * How long a call that got no answer (a timeout, a reset) goes on counting after we gave up on it. It may still be
 * on its way: held in a queue of Meta's, or of the network's, it arrives late and Meta counts it then, beside the
 * calls we started after it. Counting it only a second more, as an answered call, let a stalled Graph API take in
 * a second's calls it had held and a second's new ones at once, over the limit
 * (`test/server/broadcasts/stalled-meta.test.ts`). It costs the Page's pace only while calls go unanswered, when
 * sending slower is right.
 */
export const unansweredCountsMs = 10_000;

/** How long a call goes on counting after it ended, answered or not: the window's rule, in every process and in Redis. */
export function countsAfterEndMs(gotAnswer: boolean): number {
  return gotAnswer ? 1000 : unansweredCountsMs;
}

/**
 * The sends a Page made in the last second. Meta states its limit as calls per second per Page; whatever the token
 * bucket allows after a stall, this keeps any one-second span at or under the rate *as Meta counts it*.
 *
 * Meta counts a call when it arrives, which is somewhere between our start and its answer. Counting by start time
 * lets a slow call and a fast one behind it arrive in the same second as Meta sees it, one over the limit: at a rate
 * equal to Meta's limit that happens within seconds, and the 613 costs the Page a whole minute (Meta announces the
 * wait in minutes). So a call stays in the window until a second after its answer: then it has surely left Meta's
 * window too, whatever the latency did. The price is the round trip, once per second of sending. A call that got no
 * answer counts longer (`unansweredCountsMs`).
 */
export class PerSecondWindow {
  private entries: WindowEntry[] = [];

  hasRoom(nowMs: number, ratePerSecond: number): boolean {
    this.forgetEndedBy(nowMs);
    return this.entries.length < Math.max(1, Math.floor(ratePerSecond));
  }

  /**
   * Only meaningful when `hasRoom` just answered false. Infinity when every counted send is still in flight: the
   * window has room again when one of them is answered (see `answered`).
   */
  msUntilRoom(nowMs: number): number {
    return Math.min(...this.entries.map((entry) => entry.countsUntilMs)) - nowMs;
  }

  record(): WindowEntry {
    const entry = { countsUntilMs: Infinity };
    this.entries.push(entry);
    return entry;
  }

  answered(entry: WindowEntry, nowMs: number): void {
    entry.countsUntilMs = nowMs + countsAfterEndMs(true);
  }

  /** The call ended without an answer from Meta: it may yet arrive there. */
  gaveUp(entry: WindowEntry, nowMs: number): void {
    entry.countsUntilMs = nowMs + countsAfterEndMs(false);
  }

  private forgetEndedBy(nowMs: number): void {
    if (this.entries.some((entry) => entry.countsUntilMs <= nowMs))
      this.entries = this.entries.filter((entry) => entry.countsUntilMs > nowMs);
  }
}
