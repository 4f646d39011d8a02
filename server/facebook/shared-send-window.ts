import { randomUUID } from 'node:crypto';
import type { Logger } from '../platform/logger';
import type { SharedRedis } from '../platform/redis';
import { countsAfterEndMs } from './per-second-window';
import type { SendClass } from './send-pacer';

/** A place taken in a Page's shared window; `ended` when the call did, with whether Meta answered it. */
export interface SharedPlace {
  ended(gotAnswer: boolean): void;
}

/**
 * A Page's last second of sends across every process of the deployment, counted as the per-second window counts
 * them (per-second-window.ts: a call counts until a second after its answer, longer when it got none). Each process
 * paces its own sends; this keeps their sum at the Page's rate, which Meta counts per Page whoever calls.
 */
export interface SharedSendWindow {
  /** Waits until the Page has room for one more send of the class, and takes it. */
  take(pageId: string, sendClass: SendClass, ratePerSecond: number): Promise<SharedPlace>;
}

/** Lua: Redis's clock in milliseconds, as `nowMs`, the same for every process. */
const redisNowMs = `local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)`;

/** Lua: the key lives at least `ms` more (a Lua expression); a longer expiry, set for a place still counting, stays. */
const keepKeyAtLeast = (ms: string) =>
  `if redis.call('PTTL', KEYS[1]) < ${ms} then redis.call('PEXPIRE', KEYS[1], ${ms}) end`;

/**
 * One sorted set per Page and class: a member per send, scored with the time (Redis's clock, the same for every
 * process) until which it counts. A send in flight counts until `inFlightMs` after it started, so the places of a
 * process killed mid-call free themselves.
 */
const takeScript = `
${redisNowMs}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', nowMs)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], nowMs + tonumber(ARGV[2]), ARGV[3])
  ${keepKeyAtLeast('tonumber(ARGV[2]) + 1000')}
  return -1
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(first[2]) - nowMs
`;

/**
 * The call ended: its place counts `ARGV[2]` ms more from now. Added back should the in-flight time have expired it
 * meanwhile (this process stalled): Meta may have counted the call as late as now.
 */
const endedScript = `
${redisNowMs}
redis.call('ZADD', KEYS[1], nowMs + tonumber(ARGV[2]), ARGV[1])
${keepKeyAtLeast('tonumber(ARGV[2]) + 1000')}
return 1
`;

type WindowCommands = {
  takeSendPlace(key: string, limit: number, inFlightMs: number, member: string): Promise<number>;
  endSendPlace(key: string, member: string, countsMs: number): Promise<number>;
};

/**
 * @param inFlightMs the longest a send can be in flight (the Graph call's timeout and a margin).
 * Should Redis fail, the send goes on paced by its own process only, and the failure is logged: a Page's messages
 * are not held up by the coordination that protects its rate.
 */
export function createSharedSendWindow(
  redis: SharedRedis,
  { inFlightMs, logger }: { inFlightMs: number; logger: Logger },
): SharedSendWindow {
  redis.commands.defineCommand('takeSendPlace', { numberOfKeys: 1, lua: takeScript });
  redis.commands.defineCommand('endSendPlace', { numberOfKeys: 1, lua: endedScript });
  const commands = redis.commands as unknown as WindowCommands;
  const unshared: SharedPlace = { ended: () => undefined };

  return {
    async take(pageId, sendClass, ratePerSecond) {
      const key = `${redis.prefix}:send-window:${pageId}:${sendClass}`;
      const member = randomUUID();
      const limit = Math.max(1, Math.floor(ratePerSecond));
      for (;;) {
        let waitMs: number;
        try {
          waitMs = await commands.takeSendPlace(key, limit, inFlightMs, member);
        } catch (error) {
          logger.warn({ err: error, pageId }, 'shared send window unavailable; pacing in this process only');
          return unshared;
        }
        if (waitMs < 0) {
          return {
            ended: (gotAnswer) =>
              void commands
                .endSendPlace(key, member, countsAfterEndMs(gotAnswer))
                .catch((error: unknown) => logger.warn({ err: error, pageId }, 'send place not released')),
          };
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, Math.max(1, waitMs))));
      }
    },
  };
}
