import type { SimContext } from '../context';
import type { ThreadRecord } from '../records';
import { fromPerson } from '../webhook-sender/events';

/** The person's device confirms delivery: everything the Page sent before the watermark arrived. */
export function emitDelivery(
  ctx: SimContext,
  thread: ThreadRecord,
  mids?: string[],
  watermark?: number,
): number {
  const at = watermark ?? ctx.clock.now();
  const delivered = mids ?? midsSentBefore(ctx, thread, at);
  const { timestamp: _omitted, ...event } = fromPerson(thread, at, {
    delivery: { ...(delivered.length > 0 ? { mids: delivered } : {}), watermark: at },
  });
  // Meta's delivery example carries no top-level timestamp.
  ctx.webhooks.messaging(thread.pageId, thread.psid, 'message_deliveries', event);
  return at;
}

export function emitRead(ctx: SimContext, thread: ThreadRecord, watermark?: number): number {
  const at = watermark ?? ctx.clock.now();
  ctx.webhooks.messaging(
    thread.pageId,
    thread.psid,
    'message_reads',
    fromPerson(thread, ctx.clock.now(), { read: { watermark: at } }),
  );
  return at;
}

/** Automatic receipts after a Send API success, when the receipt delays are set. */
export function scheduleReceipts(ctx: SimContext, thread: ThreadRecord, mid: string): void {
  const { deliveryDelayMs, readDelayMs } = ctx.settings.receipts;
  if (deliveryDelayMs === null) return;
  ctx.timers.after(deliveryDelayMs, () => {
    emitDelivery(ctx, thread, [mid]);
    if (readDelayMs !== null) ctx.timers.after(readDelayMs, () => emitRead(ctx, thread));
  });
}

function midsSentBefore(ctx: SimContext, thread: ThreadRecord, watermark: number): string[] {
  return ctx.state.sentMessages
    .filter((sent) => sent.pageId === thread.pageId && sent.psid === thread.psid && sent.time <= watermark)
    .flatMap((sent) => (sent.mid ? [sent.mid] : []));
}
