import { mongo, Types } from 'mongoose';
import { WebhookEvent, WebhookPayload, type WebhookEventRecord } from '../models/webhook-event';
import type { Clock } from '../server/platform/clock';
import { isOnlyDuplicateKeys } from '../server/platform/database/duplicate-key';
import type { PageEvent } from './page-events';

let lastSequence = 0;

/** Strictly increasing within this process: orders events that share a timestamp by arrival. */
function nextSequence(now: number): number {
  lastSequence = Math.max(lastSequence + 1, now * 1000);
  return lastSequence;
}

/** Above this size (as JSON) a payload is stored beside its event rather than in it (models/webhook-event.ts). */
const payloadApartChars = 16 * 1024;

/** Who processes the events being stored: a worker that took them on arrival, until its lease ends. */
interface ArrivalClaim {
  lockedBy: string;
  lockedUntil: Date;
}

export type StoredEvent = PageEvent &
  Pick<WebhookEventRecord, '_id' | 'sequence' | 'attempts' | 'lockedUntil'>;

/**
 * Stores events durably, each once: a redelivered event collides with the unique `key` index and is dropped.
 * Returns only when every new event is written, so answering 200 afterwards never loses one. An event whose claim
 * (`claimOf`, by its index) is not null is stored already taken by that worker (one write instead of an insert and a
 * claim); the others wait, pending, for any worker's sweep. Answers each event as stored, or null where it was a
 * duplicate, in order.
 */
export async function storeEvents(
  events: PageEvent[],
  clock: Clock,
  claimOf: (index: number) => ArrivalClaim | null,
): Promise<(StoredEvent | null)[]> {
  if (events.length === 0) return [];
  const now = clock.now();
  const documents = events.map((event, index) => {
    const claim = claimOf(index);
    return {
      ...event,
      _id: new Types.ObjectId(),
      sequence: nextSequence(now.getTime()),
      attempts: 0,
      nextAttemptAt: now,
      ...(claim
        ? { status: 'processing' as const, ...claim }
        : { status: 'pending' as const, lockedBy: null, lockedUntil: null }),
    };
  });
  const large = events.filter((event) => JSON.stringify(event.payload).length > payloadApartChars);
  const apart = new Set(large.map((event) => event.key));
  // Payloads first: an event is never stored without the payload it names (a redelivery finds it already there).
  if (large.length > 0) await storePayloads(large);
  try {
    // Whole records, written as they are (`lean`): the receiver has already validated every field, and mongoose's
    // casting and validation of each payload was a large part of the time a webhook waited for its answer.
    const records = documents.map(({ payload, ...event }) => {
      const record: WebhookEventRecord = {
        ...event,
        ...(apart.has(event.key) ? { payloadApart: true } : { payload }),
        lastError: null,
        processedAt: null,
        receivedAt: now,
      };
      return { ...record, updatedAt: now };
    });
    await WebhookEvent.insertMany(records, { ordered: false, lean: true });
    return documents;
  } catch (error) {
    if (!(error instanceof mongo.MongoBulkWriteError) || !isOnlyDuplicateKeys(error)) throw error;
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    const rejected = new Set(writeErrors.map((writeError) => writeError.index));
    return documents.map((document, index) => (rejected.has(index) ? null : document));
  }
}

async function storePayloads(events: PageEvent[]): Promise<void> {
  try {
    await WebhookPayload.insertMany(
      events.map((event) => ({ _id: event.key, payload: event.payload })),
      { ordered: false },
    );
  } catch (error) {
    if (!(error instanceof mongo.MongoBulkWriteError) || !isOnlyDuplicateKeys(error)) throw error;
  }
}

/** The payload of a stored event, from beside it when it was stored apart; null if that is gone. */
export async function payloadOf(
  event: Pick<WebhookEventRecord, 'key' | 'payload' | 'payloadApart'>,
): Promise<Record<string, unknown> | null> {
  if (!event.payloadApart) return event.payload ?? null;
  const stored = await WebhookPayload.findById(event.key).lean<{ payload: Record<string, unknown> }>();
  return stored?.payload ?? null;
}

/** Deletes the payloads stored apart for these events (forgotten ones), one lookup by `_id` each. */
export async function forgetPayloads(keys: string[]): Promise<void> {
  await Promise.all(keys.map((key) => WebhookPayload.deleteOne({ _id: key })));
}
