import type { Server } from 'socket.io';

/**
 * The seam where a multi-process adapter plugs in. `memory` (socket.io's default) serves one process; a Redis
 * (`@socket.io/redis-adapter`) or Mongo (`@socket.io/mongo-adapter`) adapter would be returned here for another
 * REALTIME_ADAPTER value, and nothing else changes: every emit goes through rooms.
 */
export type AdapterFactory = NonNullable<ConstructorParameters<typeof Server>[1]>['adapter'];

export function adapterFor(name: 'memory'): AdapterFactory | undefined {
  switch (name) {
    case 'memory':
      return undefined;
  }
}
