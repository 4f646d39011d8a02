import { ObjectId, type Db, type Document } from 'mongodb';
import { useTestDatabase } from '../support/database';

/**
 * Whether the database answers a filter from an index, from its own query plan: MongoDB names an index scan IXSCAN;
 * FerretDB reports SQLite's plan, where an index lookup reads `SEARCH <table> USING INDEX <name>`.
 */
async function usesIndex(db: Db, collection: string, filter: Document): Promise<boolean> {
  const explained = await db.command({ explain: { find: collection, filter }, verbosity: 'queryPlanner' });
  return /IXSCAN|USING INDEX/.test(JSON.stringify(explained.queryPlanner));
}

/**
 * How many fields of the index narrow the lookup, from the query plan: SQLite writes `<expr>=?` for each (an `IN` list
 * too); MongoDB gives each field of the index scan bounds, all values (`[MinKey, MaxKey]`) for one that does not.
 */
async function narrowingFields(db: Db, collection: string, filter: Document): Promise<number> {
  const explained = await db.command({ explain: { find: collection, filter }, verbosity: 'queryPlanner' });
  const plan = JSON.stringify(explained.queryPlanner);
  const sqlite = plan.match(/<expr>=\?/g);
  if (sqlite) return sqlite.length;
  const bounds = /"indexBounds":(\{[^}]*\})/.exec(plan)?.[1];
  if (!bounds) return 0;
  return Object.values(JSON.parse(bounds) as Record<string, string[]>).filter(
    (ranges) => ranges.join() !== '[MinKey, MaxKey]',
  ).length;
}

/**
 * Whether a sorted find comes back in the order of an index, with no sort of the database's own: MongoDB's plan has
 * no SORT stage; FerretDB says it pushed the sort down to SQLite without reading every selected row for its types
 * first, and SQLite's plan has no temporary b-tree.
 */
async function sortedFromIndex(
  db: Db,
  collection: string,
  filter: Document,
  sort: Document,
): Promise<boolean> {
  const explained = await db.command({
    explain: { find: collection, filter, sort },
    verbosity: 'queryPlanner',
  });
  const plan = JSON.stringify(explained.queryPlanner);
  if ('sortPushdown' in explained) {
    return (
      explained.sortPushdown === true &&
      explained.sortTypesReadFromRows === false &&
      !/TEMP B-TREE/.test(plan)
    );
  }
  return !plan.includes('"stage":"SORT"');
}

/** The inbox's order, for rows written by a test: newest `lastMessageAt` first, then greatest `_id`. */
const newestRowFirst = (
  a: { lastMessageAt: Date; _id: ObjectId },
  b: { lastMessageAt: Date; _id: ObjectId },
) => b.lastMessageAt.getTime() - a.lastMessageAt.getTime() || String(b._id).localeCompare(String(a._id));

describe('lookups by the fields of an index', () => {
  const database = useTestDatabase();
  const db = () => database.connection().db!;

  it('a lookup by the fields of a compound index, or by its leading field, is answered from the index', async () => {
    const visitors = db().collection('lookup_visitors');
    await visitors.createIndex({ pageId: 1, psid: 1 }, { unique: true });
    await visitors.insertMany(
      Array.from({ length: 1_000 }, (_, i) => ({ pageId: `page-${i % 10}`, psid: `psid-${i}`, seen: i })),
    );

    expect(await usesIndex(db(), 'lookup_visitors', { pageId: 'page-3', psid: 'psid-503' })).toBe(true);
    expect(await usesIndex(db(), 'lookup_visitors', { pageId: 'page-3' })).toBe(true);
    expect(await visitors.findOne({ pageId: 'page-3', psid: 'psid-503' })).toMatchObject({ seen: 503 });
    expect(await visitors.countDocuments({ pageId: 'page-3' })).toBe(100);
    // The other conditions of the filter still apply to what the index found.
    expect(await visitors.findOne({ pageId: 'page-3', psid: 'psid-503', seen: 504 })).toBeNull();
    expect(await visitors.countDocuments({ pageId: 'page-3', seen: { $lt: 500 } })).toBe(50);
  });

  it('a $in of ObjectIds on _id is answered from the index', async () => {
    const tallies = db().collection('lookup_tallies');
    const ids = Array.from({ length: 1_000 }, () => new ObjectId());
    await tallies.insertMany(ids.map((_id, n) => ({ _id, n })));
    const some = { _id: { $in: [3, 500, 999].map((n) => ids[n] as ObjectId) } };

    expect(await usesIndex(db(), 'lookup_tallies', some)).toBe(true);
    expect((await tallies.find(some).sort({ n: 1 }).toArray()).map((tally) => tally.n)).toEqual([
      3, 500, 999,
    ]);
  });

  it('a $in of strings on a field of an index narrows the lookup like an equality', async () => {
    const events = db().collection('lookup_events');
    await events.createIndex({ conversationKey: 1, status: 1, at: 1 });
    const statusOf = (i: number) => (i % 10 === 0 ? 'pending' : i % 10 === 1 ? 'processing' : 'processed');
    await events.insertMany(
      Array.from({ length: 900 }, (_, i) => ({ conversationKey: `c${i % 3}`, status: statusOf(i), at: i })),
    );
    const unfinished = { conversationKey: 'c1', status: { $in: ['pending', 'processing'] } };

    expect(await narrowingFields(db(), 'lookup_events', unfinished)).toBe(2);
    const found = await events.find(unfinished).sort({ at: 1 }).toArray();
    const expected = Array.from({ length: 900 }, (_, i) => i).filter(
      (i) => i % 3 === 1 && statusOf(i) !== 'processed',
    );
    expect(found.map((event) => event.at)).toEqual(expected);
    // A list with another type of value is answered all the same, whether narrowed or not.
    expect(await events.countDocuments({ conversationKey: 'c1', status: { $in: ['pending', 7] } })).toBe(30);
    expect(await events.countDocuments({ conversationKey: 'c1', status: { $in: [] } })).toBe(0);
  });

  it('a sort by _id comes back in MongoDB order, ObjectIds or not, in batches, both ways', async () => {
    const audience = db().collection('lookup_audience');
    await audience.createIndex({ page: 1, status: 1 });
    const page = new ObjectId();
    // Inserted out of order, and other Pages' rows between them.
    const ids = Array.from({ length: 300 }, () => new ObjectId());
    const shuffled = ids.map((id, i) => ({ id, key: (i * 7919) % 300 })).sort((a, b) => a.key - b.key);
    for (const { id, key } of shuffled) {
      await audience.insertMany([
        { _id: id, page, status: key % 4 === 0 ? 'unsubscribed' : 'subscribed' },
        { page: new ObjectId(), status: 'subscribed' },
      ]);
    }
    const reachable = { page, status: 'subscribed' };
    const expected = ids
      .filter((_, i) => ((i * 7919) % 300) % 4 !== 0)
      .map(String)
      .sort();

    const walk = (order: 1 | -1) =>
      audience.find(reachable).sort({ _id: order }).batchSize(50).project({ _id: 1 }).toArray();
    expect((await walk(1)).map((row) => String(row._id))).toEqual(expected);
    expect((await walk(-1)).map((row) => String(row._id))).toEqual([...expected].reverse());
    // Resumed after a given subscriber, as a restarted fan-out does.
    const after = new ObjectId(expected[99]);
    const rest = await audience
      .find({ ...reachable, _id: { $gt: after } })
      .sort({ _id: 1 })
      .toArray();
    expect(rest.map((row) => String(row._id))).toEqual(expected.slice(100));

    // Other types of _id order as MongoDB orders them: numbers, then strings, then ObjectIds.
    const mixed = db().collection('lookup_mixed_ids');
    await mixed.insertMany([
      { _id: ids[1] as unknown as ObjectId, n: 1 },
      { _id: 'b' as unknown as ObjectId, n: 2 },
      { _id: 10 as unknown as ObjectId, n: 3 },
      { _id: 'a' as unknown as ObjectId, n: 4 },
      { _id: 9 as unknown as ObjectId, n: 5 },
      { _id: ids[0] as unknown as ObjectId, n: 6 },
    ]);
    const sorted = await mixed.find({}).sort({ _id: 1 }).toArray();
    expect(sorted.map((doc) => doc.n)).toEqual([5, 3, 4, 2, 6, 1]);
  });

  it('a sort by a date then _id, newest first, comes back in MongoDB order, also after a cursor and with mixed types', async () => {
    const inbox = db().collection('lookup_inbox');
    await inbox.createIndex({ page: 1, status: 1, lastMessageAt: -1, _id: -1 });
    const page = new ObjectId();
    const base = Date.UTC(2026, 0, 1);
    // Some share a time, so _id breaks the tie; inserted in no particular order.
    const rows = Array.from({ length: 200 }, (_, i) => ({
      _id: new ObjectId(),
      page,
      status: i % 5 === 0 ? 'resolved' : 'open',
      lastMessageAt: new Date(base + ((i * 37) % 60) * 60_000),
    }));
    await inbox.insertMany([...rows].reverse());
    const open = rows.filter((row) => row.status === 'open').sort(newestRowFirst);
    const ids = (found: { _id: unknown }[]) => found.map((row) => String(row._id));

    const first = await inbox
      .find({ page, status: 'open' })
      .sort({ lastMessageAt: -1, _id: -1 })
      .limit(31)
      .toArray();
    expect(ids(first)).toEqual(ids(open.slice(0, 31)));
    // The next page after the 31st, as the inbox's cursor asks for it.
    const last = open[30] as (typeof rows)[number];
    const next = await inbox
      .find({
        page,
        status: 'open',
        $and: [
          {
            $or: [
              { lastMessageAt: { $lt: last.lastMessageAt } },
              { lastMessageAt: last.lastMessageAt, _id: { $lt: last._id } },
            ],
          },
        ],
      })
      .sort({ lastMessageAt: -1, _id: -1 })
      .limit(31)
      .toArray();
    expect(ids(next)).toEqual(ids(open.slice(31, 62)));
    const oldestFirst = await inbox
      .find({ page, status: 'open' })
      .sort({ lastMessageAt: 1, _id: 1 })
      .toArray();
    expect(ids(oldestFirst)).toEqual(ids([...open].reverse()));

    // A row whose date is a string and one without the field: MongoDB puts them after the dates, newest first.
    await inbox.insertMany([
      { page, status: 'open', lastMessageAt: 'yesterday', n: 1 },
      { page, status: 'open', n: 2 },
    ]);
    const mixed = await inbox.find({ page, status: 'open' }).sort({ lastMessageAt: -1, _id: -1 }).toArray();
    expect(mixed).toHaveLength(open.length + 2);
    expect(mixed.slice(0, open.length).map((row) => String(row._id))).toEqual(ids(open));
    expect(mixed.slice(open.length).map((row) => row.n)).toEqual([1, 2]);
  });

  it('an inbox read walks its index in order; once a value of another type is written there, the order is still MongoDB’s', async () => {
    const inbox = db().collection('lookup_inbox_walk');
    await inbox.createIndex({ page: 1, status: 1, lastMessageAt: -1, _id: -1 });
    const page = new ObjectId();
    const base = Date.UTC(2026, 0, 1);
    const rows = Array.from({ length: 300 }, (_, i) => ({
      _id: new ObjectId(),
      page: i % 3 === 0 ? new ObjectId() : page,
      status: 'open',
      lastMessageAt: new Date(base + ((i * 37) % 100) * 60_000),
    }));
    await inbox.insertMany([...rows].reverse());
    const read = { page, status: 'open' };
    const newestFirst = { lastMessageAt: -1, _id: -1 } as const;
    expect(await sortedFromIndex(db(), 'lookup_inbox_walk', read, newestFirst)).toBe(true);

    // An update writes a document where the dates were: MongoDB puts it after every date, newest first (its JSON text
    // would sort it before them).
    const changed = rows.find((row) => row.page === page) as (typeof rows)[number];
    await inbox.updateOne({ _id: changed._id }, { $set: { lastMessageAt: { when: 'yesterday' } } });
    const expected = rows
      .filter((row) => row.page === page && row !== changed)
      .sort(newestRowFirst)
      .map((row) => String(row._id));
    const found = await inbox.find(read).sort(newestFirst).limit(250).toArray();
    expect(found.map((row) => String(row._id))).toEqual([...expected, String(changed._id)]);
  });

  it('a lookup by an ObjectId field of an index is answered from the index', async () => {
    const threads = db().collection('lookup_threads');
    await threads.createIndex({ ownerId: 1 });
    const owners = Array.from({ length: 20 }, () => new ObjectId());
    await threads.insertMany(Array.from({ length: 200 }, (_, i) => ({ ownerId: owners[i % 20], i })));

    expect(await usesIndex(db(), 'lookup_threads', { ownerId: owners[7] })).toBe(true);
    expect(await threads.countDocuments({ ownerId: owners[7] })).toBe(10);
  });

  it('strings that JSON escapes are found through the index as they were written', async () => {
    const names = db().collection('lookup_names');
    await names.createIndex({ name: 1 });
    const written = [
      'say "hi"',
      'back\\slash',
      '<b>&amp;</b>',
      'café',
      'Zoë 👋',
      'tab\there',
      'line\nbreak',
      "it's",
    ];
    await names.insertMany(written.map((name) => ({ name })));

    for (const name of written)
      expect(await names.findOne({ name }, { projection: { _id: 0 } })).toEqual({ name });
  });

  it('a lookup through the index matches a value of the same type only: a string never finds an ObjectId, a date, a number', async () => {
    // FerretDB keeps an ObjectId as its hex and a date as its number beside a type of its own, so the index holds the
    // same text for values MongoDB tells apart: a tenant's id given as a string must not find another's document.
    const values = db().collection('lookup_types');
    await values.createIndex({ key: 1, page: 1 });
    const id = new ObjectId();
    const day = new Date('2026-01-01T00:00:00Z');
    await values.insertMany([
      { name: 'ObjectId', key: id, page: 'p' },
      { name: 'its hex', key: id.toHexString(), page: 'p' },
      { name: 'number', key: 5, page: 'p' },
      { name: 'digit', key: '5', page: 'p' },
      { name: 'date', key: day, page: 'p' },
      { name: 'its milliseconds', key: String(day.getTime()), page: 'p' },
      { name: 'true', key: true, page: 'p' },
      { name: 'word true', key: 'true', page: 'p' },
      { name: 'null', key: null, page: 'p' },
      { name: 'word null', key: 'null', page: 'p' },
    ]);
    const found = async (filter: Document) =>
      (await values.find(filter).toArray()).map((doc) => doc.name as string).sort();

    expect(await usesIndex(db(), 'lookup_types', { key: id.toHexString(), page: 'p' })).toBe(true);
    expect(await found({ key: id.toHexString(), page: 'p' })).toEqual(['its hex']);
    expect(await found({ key: id, page: 'p' })).toEqual(['ObjectId']);
    expect(await found({ key: '5' })).toEqual(['digit']);
    expect(await found({ key: String(day.getTime()) })).toEqual(['its milliseconds']);
    expect(await found({ key: 'true' })).toEqual(['word true']);
    expect(await found({ key: 'null' })).toEqual(['word null']);
    expect(await found({ key: { $in: [id.toHexString(), '5'] } })).toEqual(['digit', 'its hex']);

    const updated = await values.updateMany(
      { key: id.toHexString(), page: 'p' },
      { $set: { touched: true } },
    );
    expect(updated.modifiedCount).toBe(1);
    expect(await found({ touched: true })).toEqual(['its hex']);
    expect((await values.deleteMany({ key: '5' })).deletedCount).toBe(1);
    expect(await found({ key: 5 })).toEqual(['number']);
  });

  it('a field of an index that holds an array in some documents still matches the arrays containing the value', async () => {
    const contacts = db().collection('lookup_contacts');
    await contacts.createIndex({ pageId: 1, tag: 1 });
    await contacts.insertMany([
      { pageId: 'p', tag: 'vip', n: 1 },
      { pageId: 'p', tag: 'new', n: 2 },
    ]);
    expect(await contacts.countDocuments({ pageId: 'p', tag: 'vip' })).toBe(1);

    // An array written by an insert, then by an update of a document that held a string.
    await contacts.insertOne({ pageId: 'p', tag: ['vip', 'new'], n: 3 });
    await contacts.updateOne({ n: 2 }, { $set: { tag: ['new', 'vip'] } });

    const found = await contacts.find({ pageId: 'p', tag: 'vip' }).sort({ n: 1 }).toArray();
    expect(found.map((doc) => doc.n)).toEqual([1, 2, 3]);
    expect(await contacts.countDocuments({ tag: 'new' })).toBe(2);
    expect(await contacts.findOne({ pageId: 'p', tag: 'vip', n: 3 })).toMatchObject({ tag: ['vip', 'new'] });
  });

  it('a tag, alone or in an array, is looked for by the database, not by reading every document', async () => {
    const audience = db().collection('lookup_tagged');
    await audience.createIndex({ page: 1, _id: 1 });
    await audience.createIndex({ workspace: 1, tags: 1 });
    const page = new ObjectId();
    await audience.insertMany([
      { page, tags: ['vip', 'new'], n: 1 },
      { page, tags: 'vip', n: 2 },
      { page, tags: ['new'], n: 3 },
      { page, tags: { level: 'vip' }, n: 4 },
      { page, tags: ['gold'], n: 5 },
      { page, n: 6 },
    ]);
    const found = async (filter: Document) =>
      (
        await audience
          .find({ page, ...filter })
          .sort({ _id: 1 })
          .toArray()
      ).map((doc) => doc.n);
    expect(await found({ tags: 'vip' })).toEqual([1, 2]);
    expect(await found({ tags: { $in: ['gold', 'vip'] } })).toEqual([1, 2, 5]);
    expect(await found({ tags: 'none' })).toEqual([]);

    // FerretDB hands the element test to SQLite (its plan reads the elements with json_each); MongoDB answers it from
    // the multikey index.
    const explained = await db().command({
      explain: { find: 'lookup_tagged', filter: { workspace: 'w', tags: 'vip' } },
      verbosity: 'queryPlanner',
    });
    const plan = JSON.stringify(explained.queryPlanner);
    if ('filterPushdown' in explained) expect(plan).toMatch(/json_each/);
    else expect(plan).toMatch(/IXSCAN/);
  });

  it('count, estimated count and aggregations without a filter answer', async () => {
    const rows = db().collection('lookup_rows');
    await rows.insertMany(Array.from({ length: 30 }, (_, i) => ({ kind: i % 3 === 0 ? 'a' : 'b', i })));

    expect(await rows.countDocuments({})).toBe(30);
    expect(await rows.estimatedDocumentCount()).toBe(30);
    const perKind = await rows
      .aggregate<{ _id: string; n: number }>([
        { $group: { _id: '$kind', n: { $sum: 1 } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(perKind).toEqual([
      { _id: 'a', n: 10 },
      { _id: 'b', n: 20 },
    ]);
    const lastTwo = await rows
      .aggregate([{ $sort: { i: -1 } }, { $limit: 2 }, { $project: { _id: 0, i: 1 } }])
      .toArray();
    expect(lastTwo).toEqual([{ i: 29 }, { i: 28 }]);
  });
});
