/** A value kept for the handlers of one event, named by what it is and for whom (see the keys beside their owners). */
export type ScopeKey<T> = string & { readonly scopeValue?: T };

export const scopeKey = <T>(name: string): ScopeKey<T> => name as ScopeKey<T>;

/**
 * What the handlers of one event share while it is handled: each reads a Page, a subscriber or a conversation once
 * per event, and a handler that writes one hands the result to the handlers after it. Live chat stores the
 * subscriber and the conversation; the bot, after it, reads them from here rather than asking the database again.
 * It lives for one attempt at one event: a retry starts from the database.
 */
export class EventScope {
  private readonly values = new Map<string, Promise<unknown>>();

  /** The value under `key`, loaded by `load` the first time it is asked for during this event. */
  once<T>(key: ScopeKey<T>, load: () => PromiseLike<T>): Promise<T> {
    const known = this.values.get(key);
    if (known) return known as Promise<T>;
    // Adopted into a real promise once: a mongoose query is a thenable that runs again at every `then`.
    const loading = Promise.resolve(load());
    this.values.set(key, loading);
    // A failed read is not kept: the next handler that asks reads again.
    loading.catch(() => {
      if (this.values.get(key) === loading) this.values.delete(key);
    });
    return loading;
  }

  /** What a handler just wrote, for the handlers after it. */
  keep<T>(key: ScopeKey<T>, value: T): void {
    this.values.set(key, Promise.resolve(value));
  }
}
