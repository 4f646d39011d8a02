import { randomUUID } from 'node:crypto';
import { modelWrites, ownModelWrites } from '../../models/write-notices';
import type { Logger } from './logger';
import type { SharedRedis } from './redis';

/**
 * Passes each process's model writes to the others through Redis, so a copy kept in any process is dropped within
 * a round trip of a write anywhere rather than when its lifetime ends. Returns the way to stop.
 */
export async function relayWriteNotices(redis: SharedRedis, logger: Logger): Promise<() => void> {
  const channel = `${redis.prefix}:model-writes`;
  const origin = randomUUID();
  const passOn = (collection: string) => {
    redis.commands
      .publish(channel, JSON.stringify({ origin, collection }))
      .catch((error: unknown) => logger.warn({ err: error, collection }, 'write notice not passed on'));
  };
  const receive = (from: string, text: string) => {
    if (from !== channel) return;
    try {
      const notice = JSON.parse(text) as { origin?: unknown; collection?: unknown };
      if (notice.origin !== origin && typeof notice.collection === 'string')
        modelWrites.emit(notice.collection);
    } catch {
      logger.warn({ channel }, 'unreadable write notice ignored');
    }
  };
  redis.subscriber.on('message', receive);
  await redis.subscriber.subscribe(channel);
  ownModelWrites.on('write', passOn);
  return () => {
    ownModelWrites.off('write', passOn);
    redis.subscriber.off('message', receive);
  };
}
