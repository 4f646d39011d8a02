import { Redis } from 'ioredis';
import type { Logger } from './logger';

/**
 * The Redis every Pagewire process of a deployment shares (REDIS_URL): one connection for commands and publishing,
 * one held in subscriber mode, as Redis requires of a connection that subscribes.
 */
export interface SharedRedis {
  commands: Redis;
  subscriber: Redis;
  /** Prefix of every key and channel: several deployments may share one Redis. */
  prefix: string;
  isReachable(): boolean;
  close(): Promise<void>;
}

const connectTimeoutMs = 5_000;

/**
 * Connects both and waits until they answer. A lost connection is retried every second or two for as long as the
 * process lives (Redis coming back must not need a restart); a command meanwhile fails after three reconnection
 * attempts instead of waiting without end.
 */
export async function connectSharedRedis(url: string, prefix: string, logger: Logger): Promise<SharedRedis> {
  const connect = (role: string) => {
    const client = new Redis(url, {
      connectionName: `pagewire-${role}`,
      connectTimeout: connectTimeoutMs,
      commandTimeout: connectTimeoutMs,
      maxRetriesPerRequest: 3,
      retryStrategy: (attempt) => Math.min(250 * attempt, 2_000),
      lazyConnect: true,
    });
    client.on('error', (error: Error) => logger.warn({ err: error, role }, 'redis connection problem'));
    return client;
  };
  const commands = connect('commands');
  const subscriber = connect('subscriber');
  try {
    await Promise.all([commands.connect(), subscriber.connect()]);
  } catch (error) {
    commands.disconnect();
    subscriber.disconnect();
    throw new Error(`Redis at REDIS_URL did not answer: ${(error as Error).message}`);
  }
  return {
    commands,
    subscriber,
    prefix,
    isReachable: () => commands.status === 'ready' && subscriber.status === 'ready',
    async close() {
      await Promise.allSettled([commands.quit(), subscriber.quit()]);
    },
  };
}
