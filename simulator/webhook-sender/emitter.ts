import type { SimClock } from '../clock';
import type { Settings } from '../settings';
import type { SimState } from '../state';
import type { WebhookDelivery } from './delivery';
import type { WebhookEntry } from './envelope';

export interface EmittedEvent {
  pageId: string;
  psid: string | null;
  field: string;
  /** `messaging`, `standby` or `changes`; null when the event was not sent. */
  key: 'messaging' | 'standby' | 'changes' | null;
  skippedBecause: 'no_callback' | 'not_subscribed' | 'permission_missing' | null;
  event: Record<string, unknown>;
  time: number;
}

const HANDOVER_FIELD = 'messaging_handovers';

/** Turns what happened into webhook entries, but only for the fields the app is subscribed to on the Page. */
export class WebhookEmitter {
  readonly events: EmittedEvent[] = [];

  constructor(
    private readonly settings: Settings,
    private readonly state: SimState,
    private readonly clock: SimClock,
    private readonly delivery: WebhookDelivery,
  ) {}

  messaging(pageId: string, psid: string | null, field: string, event: Record<string, unknown>): void {
    const thread = psid ? this.state.thread(pageId, psid) : undefined;
    const owner = thread?.ownerAppId ?? null;
    // Apps that do not own the thread get standby[] instead of messaging[] (handover protocol).
    const standby = field !== HANDOVER_FIELD && owner !== null && owner !== this.settings.appId;
    const key = standby ? 'standby' : 'messaging';
    const gate = this.gate(pageId, standby ? 'standby' : field, true);
    this.record({ pageId, psid, field, key: gate ? null : key, skippedBecause: gate, event });
    if (gate) return;
    const entry: WebhookEntry = { id: pageId, time: this.clock.now(), [key]: [event] };
    this.delivery.enqueue(`${pageId}:${psid ?? ''}`, entry);
  }

  feed(pageId: string, value: Record<string, unknown>): void {
    const gate = this.gate(pageId, 'feed', false);
    this.record({
      pageId,
      psid: null,
      field: 'feed',
      key: gate ? null : 'changes',
      skippedBecause: gate,
      event: value,
    });
    if (gate) return;
    const now = this.clock.now();
    const time = this.settings.webhook.feedEntryTimeUnit === 's' ? Math.floor(now / 1000) : now;
    this.delivery.enqueue(`${pageId}:feed`, { id: pageId, time, changes: [{ field: 'feed', value }] });
  }

  reset(): void {
    this.events.length = 0;
  }

  private gate(pageId: string, field: string, isMessaging: boolean): EmittedEvent['skippedBecause'] {
    if (!this.settings.webhook.callbackUrl) return 'no_callback';
    const page = this.state.pages.get(pageId);
    if (!page?.subscribedFields?.includes(field)) return 'not_subscribed';
    const appFields = this.state.appSubscribedFields;
    if (appFields && !appFields.includes(field)) return 'not_subscribed';
    // Messaging webhooks need the Page to have granted pages_messaging (docs/messenger-platform.md §1.3).
    if (isMessaging && page.revokedPermissions.has('pages_messaging')) return 'permission_missing';
    return null;
  }

  private record(event: Omit<EmittedEvent, 'time'>): void {
    this.events.push({ ...event, time: this.clock.now() });
  }
}
