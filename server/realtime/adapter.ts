import { createAdapter } from '@socket.io/redis-adapter';
import type { Server } from 'socket.io';
import type { SharedRedis } from '../platform/redis';

export type AdapterFactory = NonNullable<ConstructorParameters<typeof Server>[1]>['adapter'];

/**
 * How an emit reaches sockets held by other processes: socket.io's Redis adapter when the deployment shares a Redis
 * (every emit goes through rooms, so nothing else changes), socket.io's in-memory default for one process.
 */
export function adapterFor(redis: SharedRedis | undefined): AdapterFactory | undefined {
  if (!redis) return undefined;
  return createAdapter(redis.commands, redis.subscriber, {
    key: `${redis.prefix}:socket.io`,
    // fetchSockets and disconnectSockets across processes give up on a process that does not answer within this.
    requestsTimeout: 5_000,
  });
}
