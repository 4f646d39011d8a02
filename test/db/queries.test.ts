import mongoose, { Schema } from 'mongoose';
import { useTestDatabase } from '../support/database';

// A throw-away stand-in for a Subscriber as the inbox and the audience builder query it.
const contactSchema = new Schema({
  pageId: { type: String, required: true },
  name: { type: String, required: true },
  rank: { type: Number, required: true },
  tags: { type: [String], default: [] },
  notes: { type: [String], default: [] },
});
const Contact = mongoose.model('DbTestContact', contactSchema);

const names = [
  'Ada Lovelace',
  'alan turing',
  'Grace Hopper',
  'Barbara Liskov',
  'ADA Yonath',
  'Edsger Dijkstra',
];

describe('queries the product leans on', () => {
  useTestDatabase();
  beforeAll(async () => {
    await Contact.insertMany(
      names.map((name, rank) => ({
        pageId: rank % 2 === 0 ? 'page-even' : 'page-odd',
        name,
        rank,
        tags: ['lead'],
      })),
    );
  });

  it('countDocuments counts only what the filter matches', async () => {
    expect(await Contact.countDocuments({})).toBe(6);
    expect(await Contact.countDocuments({ pageId: 'page-even' })).toBe(3);
    expect(await Contact.countDocuments({ rank: { $gte: 4 } })).toBe(2);
  });

  it('sort, skip and limit page through results in order', async () => {
    const page = await Contact.find({}).sort({ rank: -1 }).skip(1).limit(3).lean();
    expect(page.map((c) => c.rank)).toEqual([4, 3, 2]);
  });

  it('$in matches any of the listed values', async () => {
    const found = await Contact.find({ rank: { $in: [0, 2, 5, 99] } })
      .sort({ rank: 1 })
      .lean();
    expect(found.map((c) => c.name)).toEqual(['Ada Lovelace', 'Grace Hopper', 'Edsger Dijkstra']);
  });

  it('$regex with the i option matches case-insensitively', async () => {
    const byOperator = await Contact.find({ name: { $regex: '^ada ', $options: 'i' } })
      .sort({ rank: 1 })
      .lean();
    const byLiteral = await Contact.find({ name: /^ada /i }).sort({ rank: 1 }).lean();
    expect(byOperator.map((c) => c.name)).toEqual(['Ada Lovelace', 'ADA Yonath']);
    expect(byLiteral.map((c) => c.name)).toEqual(['Ada Lovelace', 'ADA Yonath']);
    expect(await Contact.countDocuments({ name: { $regex: '^ada ' } })).toBe(0);
  });

  it('$push appends every time and $addToSet only when the value is new', async () => {
    const contact = await Contact.findOne({ rank: 1 }).orFail();
    await Contact.updateOne({ _id: contact._id }, { $push: { notes: 'called' } });
    await Contact.updateOne({ _id: contact._id }, { $push: { notes: 'called' } });
    await Contact.updateOne({ _id: contact._id }, { $addToSet: { tags: 'vip' } });
    await Contact.updateOne({ _id: contact._id }, { $addToSet: { tags: 'vip' } });
    await Contact.updateOne({ _id: contact._id }, { $addToSet: { tags: { $each: ['lead', 'buyer'] } } });

    const updated = await Contact.findById(contact._id).orFail().lean();
    expect(updated.notes).toEqual(['called', 'called']);
    expect(updated.tags).toEqual(['lead', 'vip', 'buyer']);
  });

  it('a query on an array field matches documents holding the value', async () => {
    await Contact.updateOne({ rank: 3 }, { $addToSet: { tags: 'churned' } });
    const found = await Contact.find({ tags: 'churned' }).lean();
    expect(found.map((c) => c.rank)).toEqual([3]);
  });

  it('distinct returns each value once, filtered', async () => {
    const pages = await Contact.distinct('pageId');
    expect([...pages].sort()).toEqual(['page-even', 'page-odd']);
    const evenNames = await Contact.distinct('name', { pageId: 'page-even' });
    expect([...evenNames].sort()).toEqual(['ADA Yonath', 'Ada Lovelace', 'Grace Hopper']);
  });
});
