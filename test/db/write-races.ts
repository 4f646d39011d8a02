import { MongoClient, type Db, type ObjectId } from 'mongodb';
import { spawnOtherProcess } from './other-process';

/**
 * Races of many writers on the same documents, each writer on connections of its own, so that they overlap in the
 * database rather than in one connection's queue. Used by `concurrent-writes.test.ts`, by `race-worker.ts` (the same
 * races from another OS process) and by `npm run bench:database`.
 */

export const raceCollections = { counters: 'race_counters', claims: 'race_claims' } as const;

/**
 * `count` MongoClients with a pool of `poolSize` connections each, on database `dbName`. An operation that gets no
 * answer in two minutes fails instead of waiting forever (FerretDB as released can hang under these races).
 */
export async function connectClients(uri: string, dbName: string, count: number, poolSize = 10) {
  const clients = await Promise.all(
    Array.from({ length: count }, () =>
      new MongoClient(uri, {
        maxPoolSize: poolSize,
        serverSelectionTimeoutMS: 10_000,
        socketTimeoutMS: 120_000,
      }).connect(),
    ),
  );
  return {
    dbs: clients.map((client) => client.db(dbName)) as Db[],
    close: () => Promise.all(clients.map((client) => client.close())),
  };
}

/** Every client sends `perClient` `$inc` of one on the counter at once. */
export async function incrementConcurrently(dbs: Db[], counterId: string, perClient: number): Promise<void> {
  await Promise.all(
    dbs.flatMap((db) =>
      Array.from({ length: perClient }, () =>
        db
          .collection<{ _id: string; n: number }>(raceCollections.counters)
          .updateOne({ _id: counterId }, { $inc: { n: 1 } }),
      ),
    ),
  );
}

export interface Claim {
  id: string;
  by: string;
}

/**
 * `workersPerClient` workers on every client take pending documents of `batch` one `findOneAndUpdate` at a time until
 * none is left; answers every claim each worker was granted.
 */
export async function claimAll(
  dbs: Db[],
  batch: string,
  claimer: string,
  workersPerClient: number,
): Promise<Claim[]> {
  const claims: Claim[] = [];
  const worker = async (db: Db, by: string) => {
    const collection = db.collection<{ _id: ObjectId; batch: string; status: string; by?: string }>(
      raceCollections.claims,
    );
    for (;;) {
      const taken = await collection.findOneAndUpdate(
        { batch, status: 'pending' },
        { $set: { status: 'taken', by } },
        { returnDocument: 'after' },
      );
      if (!taken) return;
      claims.push({ id: String(taken._id), by });
    }
  };
  await Promise.all(
    dbs.flatMap((db, c) =>
      Array.from({ length: workersPerClient }, (_, w) => worker(db, `${claimer}-${c}-${w}`)),
    ),
  );
  return claims;
}

export async function seedClaims(db: Db, batch: string, count: number): Promise<void> {
  const collection = db.collection(raceCollections.claims);
  await collection.createIndex({ batch: 1, status: 1 });
  await collection.insertMany(Array.from({ length: count }, () => ({ batch, status: 'pending' })));
}

export type RaceTask =
  | { kind: 'increment'; counterId: string; clients: number; perClient: number }
  | { kind: 'claim'; batch: string; claimer: string; clients: number; workersPerClient: number };

/**
 * Runs a race in another OS process (`race-worker.ts`). The child connects first; the race starts in both processes
 * once `start()` is called, so that they overlap. Resolves with what the child's race answered.
 */
export async function startRaceProcess(uri: string, dbName: string, task: RaceTask) {
  const child = spawnOtherProcess('race-worker.ts', {
    RACE_URI: uri,
    RACE_DB: dbName,
    RACE_TASK: JSON.stringify(task),
  });
  if ((await child.nextMessage()) !== 'ready') throw new Error('the race process did not connect');
  return {
    start: () => child.end(),
    result: async <T>(): Promise<T> => {
      const result = JSON.parse(await child.nextMessage()) as T;
      await child.succeeded();
      return result;
    },
    kill: child.kill,
  };
}
