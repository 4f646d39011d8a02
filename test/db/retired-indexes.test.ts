import mongoose from 'mongoose';
import { WebhookEvent } from '../../models/webhook-event';
import { ensureIndexes, retiredIndexes } from '../../server/platform/database/mongoose-connection';
import { useTestDatabase } from '../support/database';

describe('indexes an earlier version declared', () => {
  useTestDatabase();

  it('are dropped at start, and a database without them starts as well', async () => {
    const retired = retiredIndexes.find((index) => index.collection === 'webhookevents');
    if (!retired) throw new Error('no retired index of webhookevents to test with');
    // As an older build left the collection: its index beside the current ones.
    await WebhookEvent.collection.createIndex(
      { status: 1, nextAttemptAt: 1, occurredAt: 1, sequence: 1 },
      { name: retired.name },
    );
    const namesBefore = (await WebhookEvent.collection.indexes()).map((index) => index.name);
    expect(namesBefore).toContain(retired.name);

    await ensureIndexes();
    const namesAfter = (await WebhookEvent.collection.indexes()).map((index) => index.name);
    expect(namesAfter).not.toContain(retired.name);
    expect(namesAfter).toContain('conversationKey_1_status_1_occurredAt_1_sequence_1');

    await expect(ensureIndexes()).resolves.toBeUndefined();
    await mongoose.connection.dropCollection('webhookevents');
    await expect(ensureIndexes()).resolves.toBeUndefined();
  });
});
