import mongoose, { Schema, mongo, type InferSchemaType, type Types } from 'mongoose';
import { useTestDatabase } from '../support/database';

// A throw-away stand-in for a Subscriber: one row per (pageId, psid), created by the first message and updated by
// every later one. The product will lean on exactly this upsert shape to record "seen" without check-then-insert.
const visitorSchema = new Schema({
  pageId: { type: String, required: true },
  psid: { type: String, required: true },
  name: String,
  firstSeenAt: Date,
  lastSeenAt: Date,
  messageCount: { type: Number, default: 0 },
});
// One visitor per (Page, PSID): the upsert below relies on it to stay one row under concurrency.
visitorSchema.index({ pageId: 1, psid: 1 }, { unique: true });
const Visitor = mongoose.model('DbTestVisitor', visitorSchema);
type StoredVisitor = InferSchemaType<typeof visitorSchema> & { _id: Types.ObjectId };

function recordMessage(pageId: string, psid: string, name: string, at: Date) {
  return Visitor.findOneAndUpdate(
    { pageId, psid },
    { $setOnInsert: { firstSeenAt: at }, $set: { name, lastSeenAt: at }, $inc: { messageCount: 1 } },
    { upsert: true, returnDocument: 'after', includeResultMetadata: true },
  ).lean<mongo.ModifyResult<StoredVisitor>>();
}

describe('atomic updates with findOneAndUpdate', () => {
  useTestDatabase();
  beforeAll(() => Visitor.createIndexes());

  it('an upsert inserts the document, applying $setOnInsert, $set and $inc, and returns the new document', async () => {
    const at = new Date('2025-01-01T10:00:00Z');
    const result = await recordMessage('page-1', 'psid-1', 'Ada', at);

    expect(result.lastErrorObject?.updatedExisting).toBe(false);
    expect(result.lastErrorObject?.upserted).toBeDefined();
    expect(result.value).toMatchObject({
      pageId: 'page-1',
      psid: 'psid-1',
      name: 'Ada',
      firstSeenAt: at,
      lastSeenAt: at,
      messageCount: 1,
    });
    expect(String(result.value?._id)).toBe(String(result.lastErrorObject?.upserted));
  });

  it('a second upsert with the same key updates the document instead of inserting another', async () => {
    const first = new Date('2025-01-02T10:00:00Z');
    const second = new Date('2025-01-02T11:00:00Z');
    const created = await recordMessage('page-1', 'psid-2', 'Grace', first);
    const updated = await recordMessage('page-1', 'psid-2', 'Grace Hopper', second);

    expect(updated.lastErrorObject?.updatedExisting).toBe(true);
    expect(updated.lastErrorObject?.upserted).toBeUndefined();
    expect(String(updated.value?._id)).toBe(String(created.value?._id));
    // $setOnInsert is ignored on update: the first-seen time survives, the rest moves on.
    expect(updated.value).toMatchObject({
      name: 'Grace Hopper',
      firstSeenAt: first,
      lastSeenAt: second,
      messageCount: 2,
    });
    expect(await Visitor.countDocuments({ pageId: 'page-1', psid: 'psid-2' })).toBe(1);
  });

  it('concurrent upserts on one key leave one document that counts every message', async () => {
    const at = new Date('2025-01-03T10:00:00Z');
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => recordMessage('page-1', 'psid-3', 'Linus', at)),
    );

    // Two racing upserts may both miss the row and both try to insert; the unique index turns the loser into an
    // E11000 instead of a second row. MongoDB retries that case itself; a caller must be ready to retry it.
    const rejected = results.filter((r) => r.status === 'rejected');
    for (const failure of rejected) expect((failure.reason as { code?: number }).code).toBe(11000);
    for (let i = 0; i < rejected.length; i += 1) await recordMessage('page-1', 'psid-3', 'Linus', at);

    const rows = await Visitor.find({ pageId: 'page-1', psid: 'psid-3' }).lean();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.messageCount).toBe(10);
  });

  it('50 concurrent $inc on one document count all 50', async () => {
    const { value } = await recordMessage('page-1', 'psid-5', 'Barbara', new Date());
    await Promise.all(
      Array.from({ length: 50 }, () => Visitor.updateOne({ _id: value?._id }, { $inc: { messageCount: 1 } })),
    );
    expect((await Visitor.findById(value?._id).lean())?.messageCount).toBe(51);
  });

  it('by default the call returns the document as it was before the update', async () => {
    const at = new Date('2025-01-04T10:00:00Z');
    await recordMessage('page-1', 'psid-4', 'Alan', at);
    const before = await Visitor.findOneAndUpdate(
      { pageId: 'page-1', psid: 'psid-4' },
      { $inc: { messageCount: 1 } },
    );

    expect(before?.messageCount).toBe(1);
    expect((await Visitor.findById(before?._id).lean())?.messageCount).toBe(2);
  });
});
