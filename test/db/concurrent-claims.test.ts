import mongoose, { Schema, Types } from 'mongoose';
import { useTestDatabase } from '../support/database';

// A throw-away stand-in for a queue of broadcast recipients that several workers drain at once.
const pendingSendSchema = new Schema({
  batch: { type: String, required: true },
  status: { type: String, enum: ['pending', 'claimed'], required: true },
  claimedBy: String,
});
// Serves the claim query: the next pending send of a batch.
pendingSendSchema.index({ batch: 1, status: 1 });
const PendingSend = mongoose.model('DbTestPendingSend', pendingSendSchema);

// A claim recorded as an insert: `_id` is the claimed document's id, so the primary key lets exactly one worker in.
const sendClaimSchema = new Schema({
  _id: Schema.Types.ObjectId,
  claimedBy: { type: String, required: true },
});
const SendClaim = mongoose.model('DbTestSendClaim', sendClaimSchema);

async function seedPending(batch: string, count: number): Promise<string[]> {
  const docs = await PendingSend.insertMany(
    Array.from({ length: count }, () => ({ batch, status: 'pending' })),
  );
  return docs.map((d) => String(d._id));
}

/** One worker's claim: the matched document is flipped to `claimed` in the same operation that finds it. */
function claimOne(batch: string, worker: string, sort?: Record<string, 1 | -1>) {
  return PendingSend.findOneAndUpdate(
    { batch, status: 'pending' },
    { $set: { status: 'claimed', claimedBy: worker } },
    { returnDocument: 'after', ...(sort ? { sort } : {}) },
  ).lean();
}

/**
 * The claim shape that holds on FerretDB too: try to insert a claim keyed by each pending document's id; the
 * insert that succeeds owns the document, a duplicate key means another worker already does.
 */
async function claimOneByInsert(batch: string, worker: string) {
  const candidates = await PendingSend.find({ batch, status: 'pending' }).sort({ _id: 1 }).lean();
  for (const candidate of candidates) {
    try {
      await SendClaim.create({ _id: candidate._id, claimedBy: worker });
    } catch (error) {
      if ((error as { code?: number }).code === 11000) continue;
      throw error;
    }
    // Only the owner writes the document, so this update has no competitor.
    await PendingSend.updateOne({ _id: candidate._id }, { $set: { status: 'claimed', claimedBy: worker } });
    return { ...candidate, status: 'claimed', claimedBy: worker };
  }
  return null;
}

type Claim = (batch: string, worker: string) => Promise<{ _id: unknown; claimedBy?: string | null } | null>;

async function expectEachClaimedExactlyOnce(batch: string, ids: string[], claim: Claim) {
  const workers = Array.from({ length: 20 }, (_, i) => `worker-${i}`);
  const claims = await Promise.all(workers.map((worker) => claim(batch, worker)));

  const won = claims.filter((c) => c !== null);
  expect(won).toHaveLength(10);
  expect(claims.filter((c) => c === null)).toHaveLength(10);
  expect(new Set(won.map((c) => String(c._id)))).toEqual(new Set(ids));

  // What each winner was told is what the database kept: no claim was silently overwritten by another.
  const stored = await PendingSend.find({ batch }).lean();
  expect(stored.every((d) => d.status === 'claimed')).toBe(true);
  const ownerById = new Map(stored.map((d) => [String(d._id), d.claimedBy]));
  for (const claim of won) expect(ownerById.get(String(claim._id))).toBe(claim.claimedBy);
}

describe('atomic claims', () => {
  useTestDatabase();
  beforeAll(() => PendingSend.createIndexes());

  it('20 concurrent findOneAndUpdate claims on 10 pending documents claim each document exactly once', async () => {
    const batch = new Types.ObjectId().toString();
    const ids = await seedPending(batch, 10);
    await expectEachClaimedExactlyOnce(batch, ids, (b, worker) => claimOne(b, worker));
  });

  it('findOneAndUpdate claims stay exactly-once when every worker races for the same oldest document', async () => {
    for (let round = 0; round < 5; round += 1) {
      const batch = new Types.ObjectId().toString();
      const ids = await seedPending(batch, 10);
      await expectEachClaimedExactlyOnce(batch, ids, (b, worker) => claimOne(b, worker, { _id: 1 }));
    }
  });

  it('20 concurrent claims made by a unique insert on 10 pending documents claim each document exactly once', async () => {
    for (let round = 0; round < 5; round += 1) {
      const batch = new Types.ObjectId().toString();
      const ids = await seedPending(batch, 10);
      await expectEachClaimedExactlyOnce(batch, ids, claimOneByInsert);
      const claims = await SendClaim.find({ _id: { $in: ids } }).lean();
      expect(claims).toHaveLength(10);
    }
  });
});
