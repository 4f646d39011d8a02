import type { SimContext } from './context';
import type { ThreadRecord } from './records';
import { fromPerson } from './webhook-sender/events';

/**
 * Moves thread control between apps. Our app hears about it when it receives control (pass_thread_control) or when
 * another app takes control from it (take_thread_control); it hears nothing when it passes control away itself.
 */
export function changeThreadOwner(
  ctx: SimContext,
  thread: ThreadRecord,
  newOwnerAppId: string | null,
  metadata: string | undefined,
  changedBy: 'us' | 'another_app',
): void {
  const ourApp = ctx.settings.appId;
  const previous = thread.ownerAppId;
  thread.ownerAppId = newOwnerAppId;
  const ids = { previous_owner_app_id: previous, new_owner_app_id: newOwnerAppId, metadata: metadata ?? '' };
  let event: Record<string, unknown> | null = null;
  if (newOwnerAppId === ourApp && changedBy === 'another_app') event = { pass_thread_control: ids };
  if ((previous === ourApp || previous === null) && newOwnerAppId !== ourApp && changedBy === 'another_app') {
    event = { take_thread_control: ids };
  }
  if (!event) return;
  ctx.webhooks.messaging(
    thread.pageId,
    thread.psid,
    'messaging_handovers',
    fromPerson(thread, ctx.clock.now(), event),
  );
}
