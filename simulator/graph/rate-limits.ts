import type { RateLimitSettings } from '../settings';

export type SendClass = 'text' | 'media';

interface PageWindow {
  text: number[];
  media: number[];
  /** Real time (ms) until which the Page is refused after exceeding a limit. */
  throttledUntil: number;
}

export interface UsageVerdict {
  allowed: boolean;
  /** Milliseconds until the Page regains access; 0 when not throttled. */
  regainInMs: number;
  businessUseCaseUsage: string;
  appUsage: string;
}

const WINDOW_MS = 1000;

/**
 * Send API throughput per Page in a sliding one-second window of real time: 300 calls/s for text and 10/s for
 * audio and video (Meta's rate-limiting doc). Usage headers report percentages of the current window.
 */
export class RateLimiter {
  private readonly windows = new Map<string, PageWindow>();
  private appCalls: number[] = [];

  constructor(private readonly settings: () => RateLimitSettings) {}

  take(
    pageId: string,
    sendClass: SendClass,
    limits: { textPerSecond: number; mediaPerSecond: number },
  ): UsageVerdict {
    const now = Date.now();
    const window = this.windowFor(pageId, now);
    this.appCalls = this.appCalls.filter((at) => now - at < WINDOW_MS);
    const limit = sendClass === 'media' ? limits.mediaPerSecond : limits.textPerSecond;
    let allowed = now >= window.throttledUntil;
    if (allowed && window[sendClass].length >= limit) {
      window.throttledUntil = now + this.settings().cooldownMs;
      allowed = false;
    }
    if (allowed) {
      window[sendClass].push(now);
      this.appCalls.push(now);
    }
    const regainInMs = Math.max(0, window.throttledUntil - now);
    return {
      allowed,
      regainInMs,
      businessUseCaseUsage: this.businessUseCaseUsage(pageId, window, limits, regainInMs),
      appUsage: this.appUsage(),
    };
  }

  reset(): void {
    this.windows.clear();
    this.appCalls = [];
  }

  private windowFor(pageId: string, now: number): PageWindow {
    const window = this.windows.get(pageId) ?? { text: [], media: [], throttledUntil: 0 };
    window.text = window.text.filter((at) => now - at < WINDOW_MS);
    window.media = window.media.filter((at) => now - at < WINDOW_MS);
    this.windows.set(pageId, window);
    return window;
  }

  private businessUseCaseUsage(
    pageId: string,
    window: PageWindow,
    limits: { textPerSecond: number; mediaPerSecond: number },
    regainInMs: number,
  ): string {
    const percent = regainInMs > 0 ? 100 : this.percent(window, limits);
    return JSON.stringify({
      [pageId]: [
        {
          type: 'messenger',
          call_count: percent,
          total_cputime: Math.ceil(percent / 2),
          total_time: percent,
          // Meta reports the wait in minutes.
          estimated_time_to_regain_access: Math.ceil(regainInMs / 60_000),
        },
      ],
    });
  }

  private percent(window: PageWindow, limits: { textPerSecond: number; mediaPerSecond: number }): number {
    const text = window.text.length / Math.max(1, limits.textPerSecond);
    const media = window.media.length / Math.max(1, limits.mediaPerSecond);
    return Math.min(100, Math.ceil(Math.max(text, media) * 100));
  }

  private appUsage(): string {
    const percent = Math.min(
      100,
      Math.ceil((this.appCalls.length / this.settings().appCallsPerSecond) * 100),
    );
    return JSON.stringify({
      call_count: percent,
      total_time: percent,
      total_cputime: Math.ceil(percent / 2),
    });
  }
}
