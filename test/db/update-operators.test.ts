import mongoose from 'mongoose';
import { testDatabaseKind, useTestDatabase } from '../support/database';

const onFerretDb = testDatabaseKind() === 'ferretdb';

describe('update operators FerretDB v1 applies otherwise than MongoDB', () => {
  useTestDatabase();
  const collection = () =>
    mongoose.connection.collection<{
      key: string;
      role?: string;
      teamIds?: string[];
      note?: null;
      items?: number[];
    }>('db_test_update_operators');

  it('an upsert’s $setOnInsert stores an empty array on MongoDB; FerretDB drops it, as it drops null', async () => {
    await collection().updateOne(
      { key: 'joined' },
      { $setOnInsert: { role: 'agent', teamIds: [], note: null } },
      { upsert: true },
    );
    const stored = await collection().findOne({ key: 'joined' });
    expect(stored?.role).toBe('agent');
    expect(stored?.teamIds).toEqual(onFerretDb ? undefined : []);
    expect(stored?.note).toEqual(onFerretDb ? undefined : null);
  });

  it('$push with $each and $slice keeps the newest n on MongoDB; FerretDB ignores $slice and keeps them all', async () => {
    await collection().insertOne({ key: 'capped', items: [1, 2] });
    await collection().updateOne({ key: 'capped' }, { $push: { items: { $each: [3, 4], $slice: -3 } } });
    const stored = await collection().findOne({ key: 'capped' });
    expect(stored?.items).toEqual(onFerretDb ? [1, 2, 3, 4] : [2, 3, 4]);
  });

  it('findOneAndUpdate with a projection answers on MongoDB; FerretDB refuses it as not implemented', async () => {
    await collection().insertOne({ key: 'projected', role: 'agent', note: null });
    const update = collection().findOneAndUpdate(
      { key: 'projected' },
      { $set: { role: 'admin' } },
      { projection: { role: 1 } },
    );
    if (onFerretDb) await expect(update).rejects.toMatchObject({ codeName: 'NotImplemented' });
    else expect(await update).toMatchObject({ role: 'agent' });
  });
});
