import mongoose, { Schema, Types } from 'mongoose';
import { findOneAndUpdateDirect } from '../../../server/platform/database/direct-update';
import { announceWrites, modelWrites } from '../../../models/write-notices';
import { useTestDatabase } from '../../support/database';

interface Thing {
  _id: Types.ObjectId;
  owner: Types.ObjectId;
  key: string;
  label: string;
  state: { phase: string; since?: Date };
  count: number;
  assignee: Types.ObjectId | null;
  origin: { source: string; at: Date };
  clock: Date;
  createdAt: Date;
  updatedAt: Date;
}

// A schema with what mongoose adds to an upsert: timestamps, defaults at the top and nested, a null default, and a
// default whose path the update itself sets.
const thingSchema = new Schema<Thing>(
  {
    owner: { type: Schema.Types.ObjectId, required: true },
    key: { type: String, required: true },
    label: { type: String, default: 'unnamed' },
    state: { phase: { type: String, default: 'new' }, since: Date },
    count: { type: Number, default: 0 },
    assignee: { type: Schema.Types.ObjectId, default: null },
    origin: { source: String, at: Date },
    clock: Date,
  },
  { timestamps: true },
);
const Thing = mongoose.model<Thing>('DirectUpdateThing', thingSchema);

const announcedSchema = new Schema({ key: String, count: { type: Number, default: 0 } });
announceWrites(announcedSchema, 'direct_update_announced');
const Announced = mongoose.model('DirectUpdateAnnounced', announcedSchema, 'direct_update_announced');

/** The stored document without what differs between two upserts by design (its id, its times). */
function shapeOf(document: object | null) {
  const { _id, createdAt, updatedAt, ...rest } = (document ?? {}) as Record<string, unknown>;
  return { rest, idIsObjectId: _id instanceof Types.ObjectId, createdAt, updatedAt };
}

describe('findOneAndUpdateDirect: an update past mongoose, stored as mongoose stores it', () => {
  useTestDatabase();
  const owner = new Types.ObjectId();
  const at = new Date('2026-12-05T10:00:00Z');
  const upsertOf = (key: string) => ({
    filter: { owner, key },
    update: {
      $setOnInsert: { origin: { source: 'message', at } },
      $max: { clock: at },
      $inc: { count: 1 },
    },
  });

  it('an upsert inserts the same document mongoose inserts: defaults, nested defaults, timestamps', async () => {
    const viaMongoose = upsertOf('via-mongoose');
    await Thing.findOneAndUpdate(viaMongoose.filter, viaMongoose.update, { upsert: true });
    const direct = upsertOf('direct');
    const before = Date.now();
    const { value, inserted } = await findOneAndUpdateDirect(Thing, direct.filter, direct.update, {
      upsert: true,
    });

    expect(inserted).toBe(true);
    const expected = shapeOf(await Thing.findOne({ key: 'via-mongoose' }).lean());
    const stored = shapeOf(await Thing.findOne({ key: 'direct' }).lean());
    expect(stored.rest).toEqual({ ...expected.rest, key: 'direct' });
    expect(stored.rest).toMatchObject({ label: 'unnamed', state: { phase: 'new' }, count: 1, __v: 0 });
    expect(stored.idIsObjectId).toBe(true);
    expect(stored.createdAt).toBeInstanceOf(Date);
    expect((stored.createdAt as Date).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(stored.updatedAt).toEqual(stored.createdAt);
    expect(shapeOf(value)).toEqual(stored);
  });

  it('a second upsert updates, reports no insert, moves updatedAt and leaves createdAt', async () => {
    const { filter, update } = upsertOf('twice');
    const first = await findOneAndUpdateDirect(Thing, filter, update, { upsert: true });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await findOneAndUpdateDirect(Thing, filter, update, { upsert: true });

    expect(second.inserted).toBe(false);
    expect(second.value?.count).toBe(2);
    expect(second.value?.createdAt).toEqual(first.value?.createdAt);
    expect(second.value?.updatedAt.getTime()).toBeGreaterThan(first.value?.updatedAt.getTime() ?? Infinity);
    expect(await Thing.countDocuments({ key: 'twice' })).toBe(1);
  });

  it('a default is not added where the filter or the update names the path, its parent or a child', async () => {
    const { value } = await findOneAndUpdateDirect(
      Thing,
      { owner, key: 'named', label: 'from the filter' },
      { $setOnInsert: { state: { phase: 'imported' } }, $set: { count: 7 } },
      { upsert: true },
    );
    expect(value).toMatchObject({ label: 'from the filter', state: { phase: 'imported' }, count: 7 });
  });

  it('drops undefined values and empty operators instead of storing null or failing', async () => {
    const { value } = await findOneAndUpdateDirect(
      Thing,
      { owner, key: 'sparse' },
      { $setOnInsert: { label: undefined, origin: { source: 'optin', at } }, $max: {} },
      { upsert: true },
    );
    expect(value?.label).toBe('unnamed');
    const stored = await mongoose.connection.collection('directupdatethings').findOne({ key: 'sparse' });
    expect(stored).not.toHaveProperty('clock');
  });

  it('without upsert, updates only what exists and adds no defaults', async () => {
    const missing = await findOneAndUpdateDirect(Thing, { owner, key: 'absent' }, { $inc: { count: 1 } });
    expect(missing).toEqual({ value: null, inserted: false });
    expect(await Thing.countDocuments({ key: 'absent' })).toBe(0);
  });

  it('announces the update to readers that keep copies, as the model would, where the model announces updates', async () => {
    const heard: string[] = [];
    const listener = () => heard.push('direct_update_announced');
    modelWrites.on('direct_update_announced', listener);
    try {
      await findOneAndUpdateDirect(Announced, { key: 'a' }, { $inc: { count: 1 } }, { upsert: true });
      expect(heard).toEqual(['direct_update_announced']);
    } finally {
      modelWrites.off('direct_update_announced', listener);
    }
  });
});
