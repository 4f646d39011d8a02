import type { PageEvent } from './page-events';

export type StoredPageEvent = Pick<
  PageEvent,
  'key' | 'source' | 'kind' | 'fbPageId' | 'occurredAt' | 'payload'
>;
export type WebhookHandler = (event: StoredPageEvent) => Promise<void>;

/**
 * Features register what they do with each kind of event (`message`, `echo`, `read`, `feed:comment`, ...);
 * webhooks/ dispatches to them without knowing them.
 */
export class WebhookHandlers {
  private readonly byKind = new Map<string, WebhookHandler[]>();

  on(kind: PageEvent['kind'], handler: WebhookHandler): this {
    this.byKind.set(kind, [...(this.byKind.get(kind) ?? []), handler]);
    return this;
  }

  handlersFor(kind: string): WebhookHandler[] {
    return this.byKind.get(kind) ?? [];
  }
}
