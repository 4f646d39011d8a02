import type { FaultKind, FaultSettings } from '../settings';

/** Decides which injected fault, if any, hits the next affected Graph call. */
export class FaultInjector {
  constructor(readonly current: () => FaultSettings) {}

  affects(endpoint: 'messages' | 'other'): boolean {
    return this.current().appliesTo === 'all' || endpoint === 'messages';
  }

  draw(): FaultKind | null {
    const settings = this.current();
    const queued = settings.next.shift();
    if (queued) return queued;
    const roll = Math.random();
    const { serverErrorRate, temporaryErrorRate, timeoutRate, temporaryErrorCode } = settings;
    if (roll < serverErrorRate) return 'server_error';
    if (roll < serverErrorRate + temporaryErrorRate)
      return temporaryErrorCode === 1200 ? 'send_failure' : 'temporary';
    if (roll < serverErrorRate + temporaryErrorRate + timeoutRate) return 'timeout';
    return null;
  }
}
