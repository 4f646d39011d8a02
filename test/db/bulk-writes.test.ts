import mongoose, { Schema, Types } from 'mongoose';
import { useTestDatabase } from '../support/database';

// A throw-away stand-in for a batch of broadcast outcomes written at once.
const outcomeRowSchema = new Schema({
  seq: { type: Number, required: true },
  status: { type: String, required: true },
});
const OutcomeRow = mongoose.model('DbTestOutcomeRow', outcomeRowSchema);

// FerretDB v1.24 as released never answers one update command of 100 or more statements, and every other client
// hangs behind it; the build from scripts/ferretdb/ (02-bulk-update-closes-each-read) does.
describe('bulk writes', () => {
  useTestDatabase();

  it('applies 500 conditional updates sent as one command, keeping every one', async () => {
    const ids = Array.from({ length: 500 }, () => new Types.ObjectId());
    await OutcomeRow.insertMany(ids.map((_id, seq) => ({ _id, seq, status: 'sending' })));

    const result = await OutcomeRow.bulkWrite(
      ids.map((_id, seq) => ({
        updateOne: {
          filter: { _id, status: 'sending' },
          update: { $set: { status: seq % 2 ? 'sent' : 'skipped' } },
        },
      })),
      { ordered: false },
    );

    expect(result.modifiedCount).toBe(500);
    expect(await OutcomeRow.countDocuments({ status: 'sent' })).toBe(250);
    expect(await OutcomeRow.countDocuments({ status: 'skipped' })).toBe(250);
    expect(await OutcomeRow.countDocuments({ status: 'sending' })).toBe(0);
  }, 120_000);

  it('inserts 2,000 documents as one unordered command, keeping all but the duplicates it reports', async () => {
    const ids = Array.from({ length: 2_000 }, () => new Types.ObjectId());
    await OutcomeRow.insertMany(ids.slice(0, 10).map((_id) => ({ _id, seq: -1, status: 'recorded before' })));

    const error = await OutcomeRow.insertMany(
      ids.map((_id, seq) => ({ _id, seq, status: 'inserted' })),
      { ordered: false, lean: true },
    ).then(
      () => undefined,
      (rejected: { writeErrors?: { code: number }[] }) => rejected,
    );

    expect(error?.writeErrors?.map((writeError) => writeError.code)).toEqual(Array(10).fill(11000));
    expect(await OutcomeRow.countDocuments({ status: 'inserted' })).toBe(1_990);
    expect(await OutcomeRow.countDocuments({ status: 'recorded before' })).toBe(10);
  }, 120_000);
});
