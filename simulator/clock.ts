export type ClockMode = 'manual' | 'realtime';

/**
 * The simulator's clock. 'manual' moves only when told to, so time-based rules are tested without waiting;
 * 'realtime' (the standalone simulator) runs with the wall clock, so webhook timestamps stay current over days of
 * sandbox uptime, and `advance` still jumps it forward on top.
 */
export class SimClock {
  private offsetMs = 0;
  private readonly realStartMs = Date.now();
  private readonly startMs: number;

  /**
   * `startMs` null starts at the real now, read at the same moment as the realtime clock's origin: a start read
   * earlier would leave that clock behind the wall clock by the time between the two readings.
   */
  constructor(
    startMs: number | null,
    readonly mode: ClockMode = 'manual',
  ) {
    this.startMs = startMs ?? this.realStartMs;
  }

  now(): number {
    const elapsed = this.mode === 'realtime' ? Date.now() - this.realStartMs : 0;
    return this.startMs + elapsed + this.offsetMs;
  }

  advance(ms: number): number {
    this.offsetMs += ms;
    return this.now();
  }

  /** Drops what was advanced; a realtime clock keeps running, since time going backwards would confuse the app. */
  reset(): void {
    this.offsetMs = 0;
  }
}
