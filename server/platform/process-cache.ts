import { LRUCache } from 'lru-cache';
import { modelWrites } from '../../models/write-notices';

export interface ProcessCache<V> {
  /** The kept answer for `key`, or `load`'s (one load at a time per key: callers asking meanwhile share it). */
  get(key: string, load: () => PromiseLike<V>): Promise<V>;
  forget(key: string): void;
}

export interface ProcessCacheOptions {
  /** Longest a change made by another process can go unseen (this process's writes are seen at once). */
  ttlMs: number;
  max: number;
  /** Collections whose every write in this process empties the cache (models/write-notices.ts). */
  forgetOnWritesTo: string[];
}

/**
 * Answers the live path reads for every webhook event but that rarely change (a Page, its bot rules, whether any
 * comment capture waits for an answer), kept in this process so that a message costs fewer database round trips.
 */
export function createProcessCache<V extends NonNullable<unknown>>(
  options: ProcessCacheOptions,
): ProcessCache<V> {
  // Emptied after the write, so a load that began before it is dropped with the rest.
  const kept = createProcessMap<Promise<V>>(options);
  return {
    get(key, load) {
      const known = kept.get(key);
      if (known) return known;
      const loading = Promise.resolve(load());
      kept.set(key, loading);
      loading.catch(() => {
        if (kept.get(key) === loading) kept.forget(key);
      });
      return loading;
    },
    forget: (key) => kept.forget(key),
  };
}

/** Copies kept in this process under the same rules, set by their reader once it has them (no loading on a miss). */
export interface ProcessMap<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  forget(key: string): void;
}

export function createProcessMap<V extends NonNullable<unknown>>({
  ttlMs,
  max,
  forgetOnWritesTo,
}: ProcessCacheOptions): ProcessMap<V> {
  const kept = new LRUCache<string, V>({ max, ttl: ttlMs });
  for (const collection of forgetOnWritesTo) modelWrites.on(collection, () => kept.clear());
  return {
    get: (key) => kept.get(key),
    set: (key, value) => void kept.set(key, value),
    forget: (key) => void kept.delete(key),
  };
}
