/**
 * Database micro-benchmark: the operations Pagewire's hot paths make, on a collection of 50,000 visitors with a unique
 * compound index {pageId, psid}, and the write races that must stay exact. Starts its own database as the app does
 * (MONGODB_URI, a mongod on PATH, the FerretDB built by `npm run setup`, or mongodb-memory-server).
 *
 *   npm run bench:database                 # prints the table; nothing is written to the repository
 *   BENCH_DOCS=1000 npm run bench:database  # the same on a smaller collection
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ObjectId, type Db } from 'mongodb';
import { byLastMessage } from '../../server/messaging/conversation-order';
import { firstAcross } from '../../server/platform/database/index-ranges';
import { resolveDatabaseServer } from '../../server/platform/database/database-server';
import {
  claimAll,
  connectClients,
  incrementConcurrently,
  raceCollections,
  seedClaims,
} from '../../test/db/write-races';
import { testTempDir } from '../../test/support/temp-dir';
import { runToExit } from '../run-to-exit';

const documents = Number(process.env.BENCH_DOCS ?? 50_000);
const samples = 300;
const pages = 50;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
const randomVisitor = () => {
  const i = Math.floor(Math.random() * documents);
  return { pageId: `page-${i % pages}`, psid: `psid-${i}` };
};

async function timeEach(count: number, operation: (i: number) => Promise<unknown>): Promise<number[]> {
  const durations: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = performance.now();
    await operation(i);
    durations.push(performance.now() - start);
  }
  return durations;
}

const latencies = (durations: number[]) =>
  `p50 ${ms(percentile(durations, 50))} / p99 ${ms(percentile(durations, 99))}`;

/** Peak resident memory of the FerretDB the benchmark started, from the pid file its data directory keeps. */
function ferretdbPeakMb(dataDir: string): string {
  const pidFile = path.join(dataDir, 'ferretdb', 'server.pid');
  if (!existsSync(pidFile)) return 'n/a (not a FerretDB started here)';
  const status = readFileSync(`/proc/${readFileSync(pidFile, 'utf8').trim()}/status`, 'utf8');
  const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
  return `${Math.round(peakKb / 1024)} MB peak RSS`;
}

async function seedVisitors(db: Db): Promise<void> {
  const visitors = db.collection('bench_visitors');
  await visitors.createIndex({ pageId: 1, psid: 1 }, { unique: true });
  for (let from = 0; from < documents; from += 1_000) {
    await visitors.insertMany(
      Array.from({ length: Math.min(1_000, documents - from) }, (_, k) => {
        const i = from + k;
        return { pageId: `page-${i % pages}`, psid: `psid-${i}`, name: `Visitor ${i}`, messageCount: 0 };
      }),
    );
  }
}

async function main() {
  const dataDir = testTempDir('pagewire-bench-db');
  const server = await resolveDatabaseServer({
    ...(process.env.MONGODB_URI ? { mongodbUri: process.env.MONGODB_URI } : {}),
    dataDir,
    toolsRoot: path.resolve(__dirname, '../..'),
  });
  const dbName = `pw_bench_${randomBytes(4).toString('hex')}`;
  const { dbs, close } = await connectClients(server.uri, dbName, 10);
  const [db] = dbs as [Db, ...Db[]];
  const rows: [string, string][] = [];
  /** A scenario that fails or hangs (the socket timeout below) is reported as such; the others still run. */
  const measure = async (name: string, scenario: () => Promise<string>) => {
    process.stdout.write(`${name} ...\n`);
    rows.push([name, await scenario().catch((error: unknown) => `failed: ${String(error)}`)]);
  };

  try {
    await measure(`seed ${documents.toLocaleString('en')} visitors`, async () => {
      const start = performance.now();
      await seedVisitors(db);
      return ms(performance.now() - start);
    });
    const visitors = db.collection('bench_visitors');
    await measure('findOne by {pageId, psid}', async () =>
      latencies(await timeEach(samples, () => visitors.findOne(randomVisitor()))),
    );
    const knownIds = (
      await visitors
        .find({}, { projection: { _id: 1 } })
        .limit(1_000)
        .toArray()
    ).map((visitor) => visitor._id);
    const tenIds = (i: number) =>
      Array.from({ length: 10 }, (_, k) => knownIds[(i * 10 + k) % knownIds.length] as ObjectId);
    await measure('ten by _id: one $in / ten findOne side by side', async () => {
      const together = await timeEach(samples, (i) => visitors.find({ _id: { $in: tenIds(i) } }).toArray());
      const apart = await timeEach(samples, (i) =>
        Promise.all(tenIds(i).map((_id) => visitors.findOne({ _id }))),
      );
      return `${latencies(together)}; ${latencies(apart)}`;
    });
    await measure('updateOne by {pageId, psid}', async () =>
      latencies(
        await timeEach(samples, () =>
          visitors.updateOne(randomVisitor(), { $set: { lastSeenAt: new Date() } }),
        ),
      ),
    );
    await measure('insertOne', async () =>
      latencies(
        await timeEach(samples, (i) =>
          visitors.insertOne({ pageId: 'page-new', psid: `new-${i}`, name: 'New visitor', messageCount: 0 }),
        ),
      ),
    );
    await measure('10 clients × 50 concurrent $inc on one document', async () => {
      const counters = db.collection<{ _id: string; n: number }>(raceCollections.counters);
      await counters.insertOne({ _id: 'bench', n: 0 });
      const start = performance.now();
      await incrementConcurrently(dbs, 'bench', 50);
      const { n } = (await counters.findOne({ _id: 'bench' })) ?? { n: NaN };
      return `n = ${n} (expected 500) in ${ms(performance.now() - start)}`;
    });
    await measure('10 clients × 5 workers claiming 1,000 documents', async () => {
      await seedClaims(db, 'bench', 1_000);
      const start = performance.now();
      const claims = await claimAll(dbs, 'bench', 'bench', 5);
      const distinct = new Set(claims.map((claim) => claim.id)).size;
      return `${distinct} taken, ${claims.length - distinct} taken twice, in ${ms(performance.now() - start)}`;
    });
    await measure('bulk write of 150 updateOne by {pageId, psid}', async () => {
      const durations = await timeEach(5, () =>
        visitors.bulkWrite(
          Array.from({ length: 150 }, () => ({
            updateOne: { filter: randomVisitor(), update: { $inc: { messageCount: 1 } } },
          })),
          { ordered: false },
        ),
      );
      return `${ms(Math.min(...durations))} – ${ms(Math.max(...durations))} (5 runs)`;
    });
    await measure(
      `the inbox's first 31 of ${documents.toLocaleString('en')} conversations on six Pages`,
      async () => {
        const inbox = db.collection('bench_inbox');
        // The inbox's index and read (models/conversation.ts, server/livechat/inbox-query.ts).
        await inbox.createIndex({ page: 1, status: 1, lastMessageAt: -1, _id: -1 });
        const inboxPages = Array.from({ length: 6 }, () => new ObjectId());
        const base = Date.now();
        for (let from = 0; from < documents; from += 1_000) {
          await inbox.insertMany(
            Array.from({ length: Math.min(1_000, documents - from) }, (_, k) => ({
              page: inboxPages[(from + k) % 6],
              status: k % 3 === 0 ? 'resolved' : 'open',
              subscriberName: `Visitor ${from + k}`,
              lastMessage: { preview: 'Hello, is this still available?', direction: 'inbound' },
              lastMessageAt: new Date(base - (((from + k) * 7919) % documents) * 1_000),
            })),
          );
        }
        const newestFirst = { lastMessageAt: -1, _id: -1 } as const;
        const newestOf = (filter: Record<string, unknown>) =>
          inbox.find(filter).sort(newestFirst).limit(31).toArray() as Promise<
            { lastMessageAt: Date; _id: ObjectId }[]
          >;
        const onePage = await timeEach(50, () => newestOf({ page: inboxPages[0], status: 'open' }));
        const together = await timeEach(10, () => newestOf({ page: { $in: inboxPages }, status: 'open' }));
        const apart = await timeEach(50, () =>
          firstAcross(
            inboxPages.map((page) => newestOf({ page, status: 'open' })),
            byLastMessage(-1),
            31,
          ),
        );
        return `one Page ${latencies(onePage)}; six in one read ${latencies(together)}; six read apart ${latencies(apart)}`;
      },
    );
    await measure(
      "Agenda's scan of one job name (findAndModify), beside finished one-time jobs",
      async () => {
        const jobs = db.collection('bench_agenda_jobs');
        // Agenda's own index and query (@agendajs/mongo-backend, getNextJobToRun).
        await jobs.createIndex(
          { name: 1, priority: -1, lockedAt: 1, nextRunAt: 1, disabled: 1 },
          { name: 'findAndLockNextJobIndex' },
        );
        const scan = () =>
          jobs.findOneAndUpdate(
            {
              name: 'bench:send',
              disabled: { $ne: true },
              $or: [
                { lockedAt: { $eq: null }, nextRunAt: { $lte: new Date() } },
                { lockedAt: { $lte: new Date(Date.now() - 600_000) } },
              ],
            },
            { $set: { lockedAt: new Date() } },
            { returnDocument: 'after' },
          );
        const finishedAt = new Date(Date.now() - 86_400_000);
        const results: string[] = [];
        for (const finished of [0, 100, 2_000]) {
          await jobs.deleteMany({});
          if (finished > 0) {
            await jobs.insertMany(
              Array.from({ length: finished }, (_, i) => ({
                name: 'bench:send',
                data: { broadcastId: `b${i}`, pageId: `p${i % 10}` },
                priority: 0,
                type: 'normal',
                nextRunAt: null,
                lockedAt: null,
                lastRunAt: finishedAt,
                lastFinishedAt: finishedAt,
              })),
            );
          }
          results.push(
            `${finished.toLocaleString('en')} finished: p50 ${ms(percentile(await timeEach(20, scan), 50))}`,
          );
        }
        return results.join('; ');
      },
    );
    rows.push(['database memory', ferretdbPeakMb(dataDir)]);
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await close();
    await server.stop();
  }

  const width = Math.max(...rows.map(([name]) => name.length));
  process.stdout.write(
    `\nDatabase: ${server.kind}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]?.toFixed(1)}\n`,
  );
  for (const [name, value] of rows) process.stdout.write(`${name.padEnd(width)}  ${value}\n`);
}

runToExit(main);
