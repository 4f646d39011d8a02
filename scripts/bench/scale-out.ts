/**
 * Webhooks through several Pagewire processes: `npm run start:cluster` as an operator runs it (server/cluster.ts,
 * node:cluster on one port, one database, a Redis), with 1, 2 and 4 app processes in turn.
 *
 *   npm run bench:scale-out                                   # 1, 2 and 4 processes; appends to BENCHMARKS.md
 *   BENCH_PROCESSES=1,2 BENCH_MESSAGES=500 BENCH_APPEND=0 npm run bench:scale-out
 *
 * Throughput: BENCH_MESSAGES signed message webhooks from 200 people, 32 POSTs in flight, until the last reached an
 * agent's socket. Latency: BENCH_RATE (200) messages/s for BENCH_SECONDS (10), open loop, with BENCH_AGENTS (200)
 * agent sockets connected (node:cluster spreads them over the processes); the POST → `message:new` time is taken on
 * ten of them. CPU is each group of processes' CPU seconds per second of the run.
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { resolveDatabaseServer, type DatabaseServer } from '../../server/platform/database/database-server';
import { connectMongoose } from '../../server/platform/database/mongoose-connection';
import { startRedisServer, type RedisServer } from '../../server/platform/redis-server';
import { startSimulator } from '../../simulator/index';
import { postWebhook } from '../../simulator/webhook-sender/post';
import { connectAgentSocket, type PagewireSocket } from '../../test/support/app-harness';
import { loginAndConnectPages } from '../../test/support/simulator-login';
import { testTempDir } from '../../test/support/temp-dir';
import { runToExit } from '../run-to-exit';
import {
  cpuSecondsOf,
  cpuSecondsOfTree,
  databasePid,
  machine,
  ms,
  percentile,
  reportSection,
  root,
  signedMessage,
  startBenchApp,
} from './bench-support';

const processCounts = (process.env.BENCH_PROCESSES ?? '1,2,4').split(',').map(Number);
const total = Number(process.env.BENCH_MESSAGES ?? 2000);
const inFlight = 32;
const rate = Number(process.env.BENCH_RATE ?? 200);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const agents = Number(process.env.BENCH_AGENTS ?? 200);
const watched = 10;
const pageId = '2001';
const people = Array.from({ length: 200 }, (_, i) => ({
  id: `s${i}`,
  firstName: `Scale${i}`,
  lastName: 'Person',
}));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runWith(processes: number, database: DatabaseServer, dataDir: string, redis: RedisServer) {
  const databaseName = `pw_bench_${randomBytes(4).toString('hex')}`;
  await connectMongoose(database.uri, databaseName);
  const simulator = await startSimulator({
    seed: {
      users: [{ id: '1001', name: 'Alice Admin', email: 'alice@example.com' }],
      pages: [{ id: pageId, name: 'Bench Page', adminUserIds: ['1001'] }],
      people,
    },
  });
  const app = await startBenchApp(
    { databaseUri: database.uri, databaseName, simulator },
    { REDIS_URL: redis.url, REDIS_KEY_PREFIX: databaseName, CLUSTER_PROCESSES: String(processes) },
    { cluster: true },
  );
  const sockets: PagewireSocket[] = [];
  try {
    const { user: alice } = await loginAndConnectPages(
      { appUrl: app.url, simulatorUrl: simulator.url, facebookUserId: '1001' },
      [pageId],
    );
    const psids = await Promise.all(people.map((person) => simulator.control.psidFor(person.id, pageId)));
    for (let n = 0; n < agents; n++) sockets.push(await connectAgentSocket(app.url, alice.cookie).connected);
    const waiting = new Map<string, (at: number) => void>();
    for (const socket of sockets.slice(0, watched)) {
      socket.on('message:new', (event) => {
        waiting.get(`${event.message.text}`)?.(performance.now());
      });
    }
    const post = async (n: number, text: string) => {
      const psid = psids[n % psids.length] as string;
      const { body, headers } = signedMessage(simulator.appSecret, pageId, psid, text);
      const status = await postWebhook(`${app.url}/webhooks/facebook`, headers, body, { timeoutMs: 60_000 });
      if (status !== 200) throw new Error(`the webhook was answered ${status}`);
    };
    const cpu = () => ({
      app: cpuSecondsOfTree(app.pid),
      database:
        (databasePid(dataDir) ? cpuSecondsOf(databasePid(dataDir) as number) : NaN) + cpuSecondsOf(redis.pid),
      bench: cpuSecondsOf(process.pid),
    });
    const cpuPerSecond = (before: ReturnType<typeof cpu>, after: ReturnType<typeof cpu>, wall: number) =>
      (['app', 'database', 'bench'] as const)
        .map((k) => ((after[k] - before[k]) / wall).toFixed(2))
        .join(' / ');

    // Throughput: closed loop until every message reached the first watched socket.
    let reached = 0;
    const allReached = new Promise<void>((resolve) =>
      sockets[0]?.on('message:new', (event) => {
        if (event.message.text?.startsWith('through ') && ++reached === total) resolve();
      }),
    );
    let next = 0;
    const cpuBefore = cpu();
    const began = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        for (let n = next++; n < total; n = next++) await post(n, `through ${n}`);
      }),
    );
    await allReached;
    const throughputSeconds = (performance.now() - began) / 1000;
    const throughputCpu = cpuPerSecond(cpuBefore, cpu(), throughputSeconds);

    // Latency at a steady rate, open loop.
    const latencies: number[] = [];
    const count = rate * seconds;
    const latencyCpuBefore = cpu();
    const start = performance.now();
    const posts: Promise<void>[] = [];
    for (let n = 0; n < count; n++) {
      const due = start + (n * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const text = `steady ${n}`;
      const arrived = new Promise<number>((resolve) => waiting.set(text, resolve));
      const sent = performance.now();
      posts.push(
        post(n, text).then(async () => {
          latencies.push((await arrived) - sent);
          waiting.delete(text);
        }),
      );
    }
    await Promise.all(posts);
    const latencyCpu = cpuPerSecond(latencyCpuBefore, cpu(), (performance.now() - start) / 1000);
    const sorted = latencies.sort((a, b) => a - b);
    const row = [
      new Date().toISOString().slice(0, 10),
      database.kind,
      String(processes),
      `${total} in ${throughputSeconds.toFixed(1)} s`,
      (total / throughputSeconds).toFixed(0),
      throughputCpu,
      `${rate}/s × ${seconds} s, ${agents} sockets`,
      ms(percentile(sorted, 50)),
      ms(percentile(sorted, 99)),
      latencyCpu,
      machine(),
    ];
    process.stdout.write(`${row.join(' | ')}\n`);
    return row;
  } finally {
    for (const socket of sockets) socket.disconnect();
    await app.stop();
    await simulator.stop();
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  }
}

async function main() {
  const dataDir = testTempDir('pagewire-bench-db');
  const database = await resolveDatabaseServer({
    ...(process.env.MONGODB_URI ? { mongodbUri: process.env.MONGODB_URI } : {}),
    dataDir,
    toolsRoot: root,
  });
  const redis = await startRedisServer({ logDir: dataDir });
  const rows: string[][] = [];
  try {
    for (const processes of processCounts) rows.push(await runWith(processes, database, dataDir, redis));
  } finally {
    if (rows.length > 0) {
      reportSection(
        'Several processes: webhook throughput and live-chat latency',
        '`npm run bench:scale-out`: Pagewire as `npm run start:cluster` runs it, with 1, 2 and 4 app processes on ' +
          'one port, one database and one Redis. Throughput: signed message webhooks from 200 people, 32 in ' +
          'flight, until the last reached an agent socket. Latency: a steady rate of signed webhooks (open loop) ' +
          'with agent sockets connected across the processes, POST → `message:new` on ten of them. CPU: cores ' +
          'used by the app processes / the database and Redis / the benchmark with the simulator.',
        [
          'date',
          'database',
          'processes',
          'messages',
          'messages/s',
          'CPU (app / db+redis / bench)',
          'steady load',
          'p50 ms',
          'p99 ms',
          'CPU (app / db+redis / bench)',
          'machine',
        ],
        rows,
      );
    }
    await redis.stop();
    await database.stop();
  }
}

runToExit(main);
