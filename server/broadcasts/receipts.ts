import type { StoredPageEvent } from '../../webhooks/handler-registry';
import { BroadcastRecipientModel, type RecipientStatus } from '../../models/broadcast-recipient';

interface ReceiptPayload {
  sender?: { id?: string };
  delivery?: { watermark?: number };
  read?: { watermark?: number };
}

/**
 * Delivery and read receipts carry a watermark: every message sent to that person before it was delivered (or
 * read). A recipient only moves forward, so a late delivery never undoes a read.
 */
export function receiptHandler(
  kind: 'delivery' | 'read',
  pageIdsFor: (fbPageId: string) => Promise<string[]>,
) {
  return async (event: StoredPageEvent): Promise<void> => {
    const payload = event.payload as ReceiptPayload;
    const psid = payload.sender?.id;
    const watermark = payload[kind]?.watermark;
    if (!psid || typeof watermark !== 'number') return;
    const pages = await pageIdsFor(event.fbPageId);
    if (pages.length === 0) return;
    const at = new Date(watermark);
    const before: RecipientStatus[] = kind === 'delivery' ? ['sent'] : ['sent', 'delivered'];
    await BroadcastRecipientModel.updateMany(
      { page: { $in: pages }, psid, status: { $in: before }, sentAt: { $lte: at } },
      {
        $set: kind === 'delivery' ? { status: 'delivered', deliveredAt: at } : { status: 'read', readAt: at },
      },
    );
  };
}
