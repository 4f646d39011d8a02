import type { EventScope } from './event-scope';
import type { PageEvent } from './page-events';

export type StoredPageEvent = Pick<
  PageEvent,
  'key' | 'source' | 'kind' | 'fbPageId' | 'occurredAt' | 'payload'
>;
/** `scope` holds what the event's earlier handlers read or wrote (event-scope.ts). */
export type WebhookHandler = (event: StoredPageEvent, scope: EventScope) => Promise<void>;

export interface WebhookHandlerOptions {
  /**
   * False for the events of this kind the handler has nothing to do with. An event that no handler of its kind
   * wants is acknowledged and never stored: Meta sends an echo back for every message a broadcast sends.
   */
  wants?: (event: StoredPageEvent) => boolean;
}

interface Registered {
  handle: WebhookHandler;
  wants: (event: StoredPageEvent) => boolean;
}

/**
 * Features register what they do with each kind of event (`message`, `echo`, `read`, `feed:comment`, ...);
 * webhooks/ dispatches to them without knowing them.
 */
export class WebhookHandlers {
  private readonly byKind = new Map<string, Registered[]>();

  on(
    kind: PageEvent['kind'],
    handle: WebhookHandler,
    { wants = () => true }: WebhookHandlerOptions = {},
  ): this {
    this.byKind.set(kind, [...(this.byKind.get(kind) ?? []), { handle, wants }]);
    return this;
  }

  handlersFor(kind: string): WebhookHandler[] {
    return (this.byKind.get(kind) ?? []).map((registered) => registered.handle);
  }

  /** Whether an event is worth storing: a kind nobody registered for is kept, as it always was. */
  wants(event: StoredPageEvent): boolean {
    const registered = this.byKind.get(event.kind);
    return !registered || registered.some((handler) => handler.wants(event));
  }
}
