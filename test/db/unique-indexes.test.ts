import mongoose, { Schema, mongo } from 'mongoose';
import { isDuplicateKey } from '../../server/platform/database/duplicate-key';
import { useTestDatabase } from '../support/database';

// A throw-away stand-in for a broadcast Recipient: each person gets a broadcast at most once.
const deliverySchema = new Schema({
  broadcastId: { type: String, required: true },
  psid: { type: String, required: true },
});
// One delivery per (broadcast, PSID): the exactly-once guarantee of a broadcast send.
deliverySchema.index({ broadcastId: 1, psid: 1 }, { unique: true });
const Delivery = mongoose.model('DbTestDelivery', deliverySchema);

interface WriteErrorLike {
  code: number;
  index: number;
}

/** Runs `write`, expecting it to reject, and returns what it rejected with. */
async function rejectionOf(write: () => Promise<unknown>): Promise<unknown> {
  try {
    await write();
  } catch (error) {
    return error;
  }
  throw new Error('expected the write to be rejected');
}

function writeErrorsOf(error: unknown): WriteErrorLike[] {
  expect(error).toBeInstanceOf(mongo.MongoBulkWriteError);
  const errors = (error as mongo.MongoBulkWriteError).writeErrors;
  return (Array.isArray(errors) ? errors : [errors]).map((e) => ({ code: e.code, index: e.index }));
}

describe('a compound unique index', () => {
  useTestDatabase();
  beforeAll(() => Delivery.createIndexes());

  it('is built as a unique index on both fields', async () => {
    const indexes = await Delivery.collection.indexes();
    expect(indexes).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: { broadcastId: 1, psid: 1 }, unique: true })]),
    );
  });

  it('rejects a second document with the same key with code 11000', async () => {
    await Delivery.create({ broadcastId: 'b-1', psid: 'p-1' });

    const error = await rejectionOf(() => Delivery.create({ broadcastId: 'b-1', psid: 'p-1' }));

    expect(error).toBeInstanceOf(mongo.MongoServerError);
    expect((error as mongo.MongoServerError).code).toBe(11000);
    expect(await Delivery.countDocuments({ broadcastId: 'b-1' })).toBe(1);
  });

  it('accepts the same value in one field when the other differs', async () => {
    await Delivery.create({ broadcastId: 'b-2', psid: 'p-1' });
    await Delivery.create({ broadcastId: 'b-2', psid: 'p-2' });
    await Delivery.create({ broadcastId: 'b-3', psid: 'p-1' });

    expect(await Delivery.countDocuments({ broadcastId: { $in: ['b-2', 'b-3'] } })).toBe(3);
  });

  it('lets an unordered insertMany keep every non-duplicate and report each duplicate', async () => {
    await Delivery.create({ broadcastId: 'b-4', psid: 'p-1' });
    const docs = ['p-1', 'p-2', 'p-3', 'p-2', 'p-4'].map((psid) => ({ broadcastId: 'b-4', psid }));

    const error = await rejectionOf(() => Delivery.insertMany(docs, { ordered: false }));

    const writeErrors = writeErrorsOf(error);
    expect(writeErrors.map((e) => e.code)).toEqual([11000, 11000]);
    expect(writeErrors.map((e) => e.index).sort()).toEqual([0, 3]);
    expect((error as mongo.MongoBulkWriteError).result.insertedCount).toBe(3);
    const stored = await Delivery.find({ broadcastId: 'b-4' }).sort({ psid: 1 }).lean();
    expect(stored.map((d) => d.psid)).toEqual(['p-1', 'p-2', 'p-3', 'p-4']);
  });

  it('lets an unordered bulkWrite keep every non-duplicate and report each duplicate', async () => {
    await Delivery.create({ broadcastId: 'b-5', psid: 'p-1' });
    const operations = ['p-1', 'p-2', 'p-3', 'p-3', 'p-4'].map((psid) => ({
      insertOne: { document: { broadcastId: 'b-5', psid } },
    }));

    const error = await rejectionOf(() => Delivery.bulkWrite(operations, { ordered: false }));

    const writeErrors = writeErrorsOf(error);
    expect(writeErrors.map((e) => e.code)).toEqual([11000, 11000]);
    expect(writeErrors.map((e) => e.index).sort()).toEqual([0, 3]);
    expect((error as mongo.MongoBulkWriteError).result.insertedCount).toBe(3);
    expect(await Delivery.countDocuments({ broadcastId: 'b-5' })).toBe(4);
  });

  it('makes an ordered insertMany stop at the first duplicate', async () => {
    await Delivery.create({ broadcastId: 'b-6', psid: 'p-2' });
    const docs = ['p-1', 'p-2', 'p-3'].map((psid) => ({ broadcastId: 'b-6', psid }));

    const error = await rejectionOf(() => Delivery.insertMany(docs, { ordered: true }));

    expect((error as { code?: number }).code).toBe(11000);
    const stored = await Delivery.find({ broadcastId: 'b-6' }).sort({ psid: 1 }).lean();
    expect(stored.map((d) => d.psid)).toEqual(['p-1', 'p-2']);
  });

  // How the broadcast fan-out, intents and finished marks write their one document: a repeat must read as one.
  it('refuses a lean insertMany of one document that exists with an error isDuplicateKey recognises', async () => {
    await Delivery.create({ broadcastId: 'b-7', psid: 'p-1' });

    const error = await rejectionOf(() =>
      Delivery.insertMany([{ broadcastId: 'b-7', psid: 'p-1' }], { lean: true }),
    );

    expect(isDuplicateKey(error)).toBe(true);
    expect(await Delivery.countDocuments({ broadcastId: 'b-7' })).toBe(1);
  });
});
