import mongoose, { Schema, type Connection } from 'mongoose';
import type { CommandStartedEvent } from 'mongodb';
import { testDatabaseUri, useTestDatabase } from '../support/database';

// A throw-away stand-in for a broadcast audience: far more rows than a worker should ever hold at once.
const audienceRowSchema = new Schema({
  seq: { type: Number, required: true },
  psid: { type: String, required: true },
  payload: { type: String, required: true },
});

const total = 10_000;
const batchSize = 500;
const payloadBytes = 1_000;
const MB = 1024 * 1024;

describe('cursor streaming', () => {
  const database = useTestDatabase();
  // A connection of its own, so the driver's command events show how the cursor fetches.
  let monitored: Connection;
  const getMores: CommandStartedEvent[] = [];

  beforeAll(async () => {
    monitored = await mongoose
      .createConnection(testDatabaseUri(), { dbName: database.name, monitorCommands: true })
      .asPromise();
    monitored.getClient().on('commandStarted', (event) => {
      if (event.commandName === 'getMore') getMores.push(event);
    });
    const AudienceRow = monitored.model('DbTestAudienceRow', audienceRowSchema);
    const payload = 'x'.repeat(payloadBytes);
    for (let start = 0; start < total; start += 1_000) {
      const chunk = Array.from({ length: 1_000 }, (_, i) => ({
        seq: start + i,
        psid: `psid-${start + i}`,
        payload,
      }));
      await AudienceRow.collection.insertMany(chunk, { ordered: false });
    }
  }, 180_000);
  afterAll(() => monitored.close());

  it('streams 10,000 documents in batches while heap growth stays far below holding them all', async () => {
    const AudienceRow = monitored.model('DbTestAudienceRow');
    getMores.length = 0;
    // With --expose-gc (npm test passes it) each sample counts what is retained, not garbage awaiting collection.
    const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
    collectGarbage();
    const baseline = process.memoryUsage().heapUsed;
    let peakGrowth = 0;
    let count = 0;
    let seqSum = 0;

    for await (const row of AudienceRow.find().lean<{ seq: number }>().cursor({ batchSize })) {
      count += 1;
      seqSum += row.seq;
      if (count % 1_000 === 0) {
        collectGarbage();
        peakGrowth = Math.max(peakGrowth, process.memoryUsage().heapUsed - baseline);
      }
    }

    expect(count).toBe(total);
    expect(seqSum).toBe((total * (total - 1)) / 2);
    // The first batch comes with `find`; every further batch is one getMore of at most batchSize documents.
    expect(getMores.length).toBeGreaterThanOrEqual(total / batchSize - 1);
    for (const event of getMores) expect(event.command.batchSize).toBe(batchSize);
    expect(peakGrowth).toBeLessThan(30 * MB);

    // For scale: holding every row costs at least its payload bytes, more than the streaming peak ever reached.
    // Both sides are measured after a collection from a fresh baseline, so garbage left by streaming (or a
    // collection that happens to run mid-way) cannot make the comparison meaningless.
    collectGarbage();
    const heldBaseline = process.memoryUsage().heapUsed;
    const all = await AudienceRow.find().lean<{ payload: string }[]>();
    collectGarbage();
    const heldGrowth = process.memoryUsage().heapUsed - heldBaseline;
    expect(all).toHaveLength(total);
    expect(heldGrowth).toBeGreaterThan(total * payloadBytes);
    expect(peakGrowth).toBeLessThan(heldGrowth / 4);
    process.stdout.write(
      `cursor: peak heap growth ${(peakGrowth / MB).toFixed(1)} MB streaming vs ${(heldGrowth / MB).toFixed(1)} MB holding all\n`,
    );
    // Reading every row twice on the embedded database is slow on a busy machine; only memory is asserted here.
  }, 180_000);
});
