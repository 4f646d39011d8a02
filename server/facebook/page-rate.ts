import type { Logger } from '../platform/logger';

/** A Page's own configured send rate, when it has one; may come from the database, hence a promise. */
export type RateLookup = () => number | undefined | Promise<number | undefined>;

/**
 * The configured text rate of one Page, looked up when the Page is first seen and again after `refreshMs`, so a
 * changed setting applies within that time without a database read per send. Until the first answer the rate is
 * unknown and the Page does not send: a Page set below the default must not start at the default.
 */
export class PageRate {
  private known: number | undefined;
  private loadedAtMs = -Infinity;
  private isLoading = false;

  constructor(
    private readonly lookup: RateLookup | undefined,
    private readonly defaultRate: number,
    private readonly refreshMs: number,
    private readonly logger: Logger,
  ) {}

  /** The rate, or undefined while the first lookup is still out. */
  get current(): number | undefined {
    return this.lookup ? this.known : this.defaultRate;
  }

  /** Looks the rate up again when it is due; `onKnown` runs once the answer is in (at once if it was synchronous). */
  refresh(nowMs: number, onKnown: () => void): void {
    if (!this.lookup || this.isLoading || nowMs - this.loadedAtMs < this.refreshMs) return;
    this.isLoading = true;
    const settle = (rate: number | undefined) => {
      this.known = rate !== undefined && rate > 0 ? rate : this.defaultRate;
      this.loadedAtMs = nowMs;
      this.isLoading = false;
      onKnown();
    };
    const fail = (error: unknown) => {
      // The last known rate stands; a Page never looked up falls back to the default rather than never sending.
      this.logger.warn({ err: error }, "could not read the Page's send rate; keeping the last known");
      settle(this.known);
    };
    try {
      const answer = this.lookup();
      if (answer instanceof Promise) answer.then(settle, fail);
      else settle(answer);
    } catch (error) {
      fail(error);
    }
  }
}
