import type { Db } from 'mongodb';
import { freshDatabaseName, testDatabaseUri } from '../support/database';
import {
  claimAll,
  connectClients,
  incrementConcurrently,
  raceCollections,
  seedClaims,
  startRaceProcess,
  type Claim,
} from './write-races';

/**
 * Single-document writes are atomic whoever sends them: many connections of one process, and two OS processes on
 * one database. These races go through clients with pools of their own (not the app's connection), so that the
 * writes really overlap in the database; a lost update or a document claimed twice fails them.
 */
describe('single-document writes under concurrency', () => {
  const dbName = freshDatabaseName();
  let dbs: Db[] = [];
  let close = async (): Promise<unknown> => undefined;
  const otherProcesses: { kill(): void }[] = [];

  beforeAll(async () => {
    ({ dbs, close } = await connectClients(testDatabaseUri(), dbName, 10));
  });
  afterAll(async () => {
    for (const other of otherProcesses) other.kill();
    await dbs[0]?.dropDatabase().catch(() => undefined);
    await close();
  });

  function expectEachTakenOnce(claims: Claim[], count: number) {
    expect(claims).toHaveLength(count);
    expect(new Set(claims.map((claim) => claim.id)).size).toBe(count);
  }

  async function expectStoredOwners(batch: string, claims: Claim[]) {
    const stored = await dbs[0]!.collection(raceCollections.claims).find({ batch }).toArray();
    expect(stored.filter((doc) => doc.status !== 'taken')).toEqual([]);
    // What each winner was told is what the database kept: no claim was overwritten by another.
    const ownerById = new Map(stored.map((doc) => [String(doc._id), doc.by]));
    expect(claims.filter((claim) => ownerById.get(claim.id) !== claim.by)).toEqual([]);
  }

  it('10 clients × 50 concurrent $inc on one document count exactly 500', async () => {
    await dbs[0]!.collection(raceCollections.counters).insertOne({ _id: 'ten-clients' as never, n: 0 });
    await incrementConcurrently(dbs, 'ten-clients', 50);
    expect(
      await dbs[0]!.collection(raceCollections.counters).findOne({ _id: 'ten-clients' as never }),
    ).toEqual({
      _id: 'ten-clients',
      n: 500,
    });
  }, 120_000);

  it('10 clients racing findOneAndUpdate claims over 1,000 pending documents take each exactly once', async () => {
    await seedClaims(dbs[0]!, 'ten-clients', 1_000);
    const claims = await claimAll(dbs, 'ten-clients', 'test', 5);
    expectEachTakenOnce(claims, 1_000);
    await expectStoredOwners('ten-clients', claims);
  }, 180_000);

  it('two OS processes racing $inc on one document count every increment', async () => {
    await dbs[0]!.collection(raceCollections.counters).insertOne({ _id: 'two-processes' as never, n: 0 });
    const other = await startRaceProcess(testDatabaseUri(), dbName, {
      kind: 'increment',
      counterId: 'two-processes',
      clients: 5,
      perClient: 50,
    });
    otherProcesses.push(other);
    other.start();
    await incrementConcurrently(dbs.slice(0, 5), 'two-processes', 50);
    await other.result();
    expect(
      await dbs[0]!.collection(raceCollections.counters).findOne({ _id: 'two-processes' as never }),
    ).toEqual({ _id: 'two-processes', n: 500 });
  }, 180_000);

  it('two OS processes racing findOneAndUpdate claims over 1,000 pending documents take each exactly once', async () => {
    await seedClaims(dbs[0]!, 'two-processes', 1_000);
    const other = await startRaceProcess(testDatabaseUri(), dbName, {
      kind: 'claim',
      batch: 'two-processes',
      claimer: 'child',
      clients: 5,
      workersPerClient: 5,
    });
    otherProcesses.push(other);
    other.start();
    const mine = await claimAll(dbs.slice(0, 5), 'two-processes', 'parent', 5);
    const claims = [...mine, ...(await other.result<Claim[]>())];
    expectEachTakenOnce(claims, 1_000);
    await expectStoredOwners('two-processes', claims);
  }, 180_000);
});
