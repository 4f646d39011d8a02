/**
 * Whether a Page's usage of its Meta limits is climbing, from the usage percentages Meta returns with each answer.
 *
 * Meta says to slow down above about 75 % (docs/messenger-platform.md §4), but a high reading alone does not mean a limit
 * is coming: a Page sending steadily at exactly its allowed rate reads close to 100 % for as long as it sends and is
 * never refused, because what leaves its window each second is what comes in. Halving it then only throws away a
 * quarter of its throughput (measured: 70/s of 100/s against a 100/s limit). A budget that is running out is one
 * whose usage keeps rising, so the governor slows only when the reading is at the threshold, `minimumClimb` points
 * above the highest reading one horizon earlier, and a new high since then. The margin absorbs the point or two a
 * steady Page's readings wobble by (a 1-point margin halved a steady Page often enough to cost 5 %); the new-high
 * rule ignores a climb that has levelled off, such as a batch starting from quiet.
 *
 * With the defaults (5 points over 5 s) usage climbing a point a second from 75 % is caught well before 100 %. A
 * slower climb, or a Page with no reading that old, is left to the backstop: at 100 % Meta refuses, and the governor
 * waits out the regain time Meta announces.
 */
export class UsageTrend {
  /** Highest reading per whole second, oldest first. */
  private readonly seconds: { second: number; highest: number }[] = [];
  private latest = 0;

  constructor(
    private readonly horizonMs: number,
    private readonly minimumClimb = 5,
  ) {}

  record(nowMs: number, percent: number): void {
    this.latest = percent;
    const second = Math.floor(nowMs / 1000);
    const last = this.seconds.at(-1);
    if (last?.second === second) last.highest = Math.max(last.highest, percent);
    else this.seconds.push({ second, highest: percent });
    const oldestKept = Math.floor((nowMs - this.horizonMs) / 1000) - 1;
    while ((this.seconds[0]?.second ?? oldestKept) < oldestKept) this.seconds.shift();
  }

  get latestPercent(): number {
    return this.latest;
  }

  /**
   * True when the latest reading is `minimumClimb` points above every reading made one horizon (or more) ago, and a
   * new high since then: a climb that already levelled off (a batch starting from quiet) is not one.
   */
  isRising(nowMs: number): boolean {
    const currentSecond = Math.floor(nowMs / 1000);
    const baselineSecond = Math.floor((nowMs - this.horizonMs) / 1000);
    const highestOf = (entries: { highest: number }[]) => Math.max(...entries.map((entry) => entry.highest));
    const baseline = this.seconds.filter((entry) => entry.second <= baselineSecond);
    if (baseline.length === 0) return false;
    const since = this.seconds.filter(
      (entry) => entry.second > baselineSecond && entry.second < currentSecond,
    );
    return this.latest >= highestOf(baseline) + this.minimumClimb && this.latest > highestOf(since);
  }
}
