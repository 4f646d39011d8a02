import mongoose, { Schema } from 'mongoose';
import { bulkWriteChunkSize, writeInChunks } from '../../server/platform/database/bulk-write';
import { useTestDatabase } from '../support/database';

// A throw-away stand-in for a batch of broadcast outcomes written at once.
const outcomeRowSchema = new Schema({
  seq: { type: Number, required: true },
  status: { type: String, required: true },
});
const OutcomeRow = mongoose.model('DbTestOutcomeRow', outcomeRowSchema);

describe('bulk writes', () => {
  useTestDatabase();

  it('applies 500 conditional updates in chunks small enough for FerretDB, keeping every one', async () => {
    await OutcomeRow.insertMany(Array.from({ length: 500 }, (_, seq) => ({ seq, status: 'sending' })));
    const chunks: number[] = [];
    await writeInChunks(
      Array.from({ length: 500 }, (_, seq) => ({
        updateOne: {
          filter: { seq, status: 'sending' },
          update: { $set: { status: seq % 2 ? 'sent' : 'skipped' } },
        },
      })),
      (chunk) => {
        chunks.push(chunk.length);
        return OutcomeRow.bulkWrite(chunk, { ordered: false });
      },
    );
    // FerretDB v1.24 as released never answers one command of 100 or more updates (and blocks every other client).
    expect(Math.max(...chunks)).toBeLessThan(100);
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(500);
    expect(chunks).toHaveLength(Math.ceil(500 / bulkWriteChunkSize));
    expect(await OutcomeRow.countDocuments({ status: 'sent' })).toBe(250);
    expect(await OutcomeRow.countDocuments({ status: 'skipped' })).toBe(250);
    expect(await OutcomeRow.countDocuments({ status: 'sending' })).toBe(0);
  }, 120_000);

  it('applies a bulk write of 150 updates sent as one command, keeping every one', async () => {
    await OutcomeRow.insertMany(
      Array.from({ length: 150 }, (_, seq) => ({ seq: 1_000 + seq, status: 'queued' })),
    );
    // The FerretDB built from scripts/ferretdb/ answers it; FerretDB v1.24 as released never does.
    const result = await OutcomeRow.bulkWrite(
      Array.from({ length: 150 }, (_, seq) => ({
        updateOne: { filter: { seq: 1_000 + seq, status: 'queued' }, update: { $set: { status: 'done' } } },
      })),
      { ordered: false },
    );
    expect(result.modifiedCount).toBe(150);
    expect(await OutcomeRow.countDocuments({ status: 'done' })).toBe(150);
    expect(await OutcomeRow.countDocuments({ status: 'queued' })).toBe(0);
  }, 120_000);
});
