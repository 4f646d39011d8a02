/** The simulator's clock: it moves only when told to, so time-based rules are tested without waiting. */
export class SimClock {
  private offsetMs = 0;

  constructor(private readonly startMs: number) {}

  now(): number {
    return this.startMs + this.offsetMs;
  }

  advance(ms: number): number {
    this.offsetMs += ms;
    return this.now();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
