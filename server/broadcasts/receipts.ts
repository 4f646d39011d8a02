import type { StoredPageEvent } from '../../webhooks/handler-registry';
import { BroadcastRecipientModel, type BroadcastRecipientRecord } from '../../models/broadcast-recipient';
import { applyWatermark, receiptOf, type ReceiptKind } from '../messaging/receipt-watermarks';

/** Meta's watermark, applied to the person's broadcast recipients on every copy of the Page, with its times. */
export function receiptHandler(kind: ReceiptKind, pageIdsFor: (fbPageId: string) => Promise<string[]>) {
  return async (event: StoredPageEvent): Promise<void> => {
    const receipt = receiptOf(event.payload, kind);
    if (!receipt) return;
    const pages = await pageIdsFor(event.fbPageId);
    if (pages.length === 0) return;
    const recipients = {
      model: BroadcastRecipientModel,
      scope: { page: { $in: pages }, psid: receipt.psid },
      sentAt: 'sentAt',
      stampedAt: { delivered: 'deliveredAt', read: 'readAt' },
    };
    await applyWatermark<BroadcastRecipientRecord>(recipients, kind, receipt.watermark);
  };
}
