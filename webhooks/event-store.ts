import { mongo } from 'mongoose';
import { WebhookEvent } from '../models/webhook-event';
import type { Clock } from '../server/platform/clock';
import { isOnlyDuplicateKeys } from '../server/platform/database/duplicate-key';
import type { PageEvent } from './page-events';

let lastSequence = 0;

/** Strictly increasing within this process: orders events that share a timestamp by arrival. */
function nextSequence(now: number): number {
  lastSequence = Math.max(lastSequence + 1, now * 1000);
  return lastSequence;
}

/**
 * Stores events durably, each once: a redelivered event collides with the unique `key` index and is dropped.
 * Returns only when every new event is written, so answering 200 afterwards never loses one.
 */
export async function storeEvents(
  events: PageEvent[],
  clock: Clock,
): Promise<{ stored: number; duplicates: number }> {
  if (events.length === 0) return { stored: 0, duplicates: 0 };
  const now = clock.now();
  const documents = events.map((event) => ({
    ...event,
    sequence: nextSequence(now.getTime()),
    status: 'pending',
    nextAttemptAt: now,
  }));
  try {
    await WebhookEvent.insertMany(documents, { ordered: false });
    return { stored: documents.length, duplicates: 0 };
  } catch (error) {
    if (!(error instanceof mongo.MongoBulkWriteError) || !isOnlyDuplicateKeys(error)) throw error;
    const duplicates = Array.isArray(error.writeErrors) ? error.writeErrors.length : 1;
    return { stored: documents.length - duplicates, duplicates };
  }
}
