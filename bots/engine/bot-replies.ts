import type { Types } from 'mongoose';
import { BotReplyModel } from '../../models/bot-reply';
import type { OutboundResult } from '../../server/messaging/outbound';
import { isDuplicateKey } from '../../server/platform/database/duplicate-key';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ReplyReservation {
  workspace: Types.ObjectId | string;
  page: Types.ObjectId | string;
  subscriber: Types.ObjectId;
  eventKey: string;
  kind: 'rule' | 'fallback' | 'follow_up' | 'talk_to_human';
  rule?: Types.ObjectId | null;
  /** Defaults to the event itself (no constraint beyond one reply per interaction). */
  slot?: string;
}

/** Inserts the reservation; false when this interaction (or this once-only slot) already has its reply. */
export async function reserveReply(reservation: ReplyReservation, at: Date) {
  try {
    const slot = reservation.slot ?? `event:${reservation.eventKey}`;
    return await BotReplyModel.create({ ...reservation, slot, status: 'reserved', at });
  } catch (error) {
    if (isDuplicateKey(error)) return null;
    throw error;
  }
}

/**
 * The slot of the next fallback, or null while the last one is under 24 hours old. Chaining slots on the previous
 * fallback makes two racing fallbacks collide on the same slot, so at most one of them is sent.
 */
export async function nextFallbackSlot(subscriberId: Types.ObjectId, now: Date): Promise<string | null> {
  const last = await BotReplyModel.findOne({ subscriber: subscriberId, kind: 'fallback' })
    .sort({ at: -1 })
    .lean();
  if (last && now.getTime() - last.at.getTime() < DAY_MS) return null;
  return `fallback:${subscriberId.toString()}:${last ? last._id.toString() : 'first'}`;
}

export async function settleReply(id: Types.ObjectId, result: OutboundResult): Promise<void> {
  const reason = result.status === 'sent' ? undefined : result.reason;
  await BotReplyModel.updateOne({ _id: id }, { $set: { status: result.status, reason } });
}
