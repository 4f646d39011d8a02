import type { Response } from 'express';
import type { XContext } from './context';
import { XProblem } from './problems';
import type { XEndpoint } from './settings';

/**
 * X's fixed windows per user and endpoint. Every answer carries `x-rate-limit-limit`, `x-rate-limit-remaining` and
 * `x-rate-limit-reset` (epoch seconds when the window ends); a call past the limit is a 429 with the same headers.
 */
export function spendRateLimit(ctx: XContext, res: Response, endpoint: XEndpoint, userId: string): void {
  const { limit, windowSeconds } = ctx.settings.rateLimits[endpoint];
  const now = ctx.clock.now();
  const key = `${endpoint} ${userId}`;
  let window = ctx.state.windows.get(key);
  if (!window || now >= window.startedAt + windowSeconds * 1000) {
    window = { startedAt: now, used: 0 };
    ctx.state.windows.set(key, window);
  }
  const allowed = window.used < limit;
  if (allowed) window.used += 1;
  res.set({
    'x-rate-limit-limit': String(limit),
    'x-rate-limit-remaining': String(Math.max(0, limit - window.used)),
    'x-rate-limit-reset': String(Math.ceil((window.startedAt + windowSeconds * 1000) / 1000)),
  });
  if (!allowed) throw XProblem.tooManyRequests();
}
