/**
 * The wait before a retry: doubling from `baseMs` with each attempt made, at most `maxMs`, each delay drawn from the
 * upper half of that ceiling so that retries of many failures spread out.
 */
export function retryDelayMs(attemptsMade: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attemptsMade - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
