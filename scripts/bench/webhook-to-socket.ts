/**
 * Webhook to agent socket: how long from the webhook POST of a person's message (signed as Meta signs it, POSTed by
 * this benchmark) to the logged-in agent's `message:new`. Starts its own database, simulator and app, the
 * app in its own process as production runs it (`BENCH_APP_NODE_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/prof'`
 * profiles it).
 *
 *   npm run bench:latency                                  # plain: 1,000 messages from 50 people, 8 in flight
 *   BENCH_IN_FLIGHT=1 BENCH_MESSAGES=100 npm run bench:latency   # one at a time
 *   BENCH_WARMUP=0 npm run bench:latency                   # a cold process: no warm-up before the measured messages
 *   BENCH_SCENARIOS=lived-in npm run bench:latency         # the same after seeding a lived-in database
 *   BENCH_SCENARIOS=big-bodies npm run bench:latency       # fifteen bodies near 1 MB, then the next message
 *   BENCH_SCENARIOS=lived-in-big-bodies npm run bench:latency    # the same on the lived-in database
 *   BENCH_SCENARIOS=all BENCH_LIVED_IN_SCALE=0.01 BENCH_MESSAGES=100 BENCH_APPEND=0 npm run bench:latency
 *
 * Scenarios: `plain` (an empty database), `lived-in` (the agent's workspace also holds 5 other Pages with 100,000
 * subscribers, 500,000 messages and 100,000 processed webhook events: lived-in.ts), `big-bodies` (fifteen signed
 * bodies near the 1 MB body limit, then the next normal message's latency and the inbox list's time, against the
 * same two measured on the quiet app just before), `lived-in-big-bodies` (that on the lived-in database). Appends
 * to BENCHMARKS.md unless BENCH_APPEND=0.
 *
 * Before the measured messages, the app is warmed up as a process that has run a while is: `BENCH_WARMUP` messages
 * (500 unless set) from 20 other people on the same Page, not measured. Without it the figures are a cold start's: the
 * first hundreds of messages run before V8 has optimised the live path, and they are also the 50 people's first
 * contacts. The measured messages still begin with those 50 first contacts (5 % of 1,000, so they are the p99).
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { resolveDatabaseServer, type DatabaseServer } from '../../server/platform/database/database-server';
import { connectMongoose } from '../../server/platform/database/mongoose-connection';
import { newMid } from '../../simulator/ids';
import { envelope, serialise } from '../../simulator/webhook-sender/envelope';
import { startSimulator, type Simulator } from '../../simulator/index';
import { postWebhook } from '../../simulator/webhook-sender/post';
import { connectAgentSocket, type PagewireSocket } from '../../test/support/app-harness';
import { type PagewireProcess } from '../../test/support/pagewire-process';
import { loginThroughSimulator, type LoggedInUser } from '../../test/support/simulator-login';
import { testTempDir } from '../../test/support/temp-dir';
import { runToExit } from '../run-to-exit';
import {
  assertSubscribedLikeARealPage,
  chosenScenarios,
  contentsOf,
  cpuSecondsOf,
  databasePid,
  machine,
  messageItem,
  ms,
  openThreads,
  percentile,
  reportSection,
  root,
  seedLivedInWorkspaceOf,
  signedBody,
  signedMessage,
  startBenchApp,
} from './bench-support';

const total = Number(process.env.BENCH_MESSAGES ?? 1000);
const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 8);
const warmUpMessages = Number(process.env.BENCH_WARMUP ?? 500);
const pageId = '2001';
const people = Array.from({ length: 50 }, (_, i) => ({
  id: `b${i}`,
  firstName: `Bench${i}`,
  lastName: 'Person',
}));
/** The people whose messages warm the app up before the measured ones: not the 50, whose first contacts count. */
const warmUpPeople = Array.from({ length: 20 }, (_, i) => ({
  id: `warm${i}`,
  firstName: `Warm${i}`,
  lastName: 'Person',
}));

/** The body limit of `server/app.ts` (express's '1mb'); each big body is filled to just under it. */
const bodyLimitBytes = 1024 * 1024;
const bigBodyBytes = bodyLimitBytes - 8 * 1024;
const bigBodies = 15;
/** Messenger's cap on a message's text (docs/messenger-platform.md); the envelope accepts it. */
const longestText = 20_000;
/** The people whose messages fill the big bodies: one item each per body. */
const burstPeople = Array.from({ length: 60 }, (_, i) => ({
  id: `big${i}`,
  firstName: `Burst${i}`,
  lastName: 'Person',
}));
const burstTimeoutMs = 15 * 60_000;
/** Meta gives up on a delivery after 20 s; a benchmark POST waits longer, to report the slow answer rather than fail. */
const postTimeoutMs = 60_000;

interface Bench {
  /** The processes whose CPU a message costs: Pagewire, this one (the simulator and the agent), the database. */
  cpuSeconds(): { app: number; bench: number; database: number };
  simulator: Simulator;
  app: PagewireProcess;
  alice: LoggedInUser;
  agentSocket(): Promise<PagewireSocket>;
  /** The person's PSID on the bench Page, as the simulator knows them. */
  psidOf(personId: string): Promise<string>;
  stop(): Promise<void>;
}

/** A fresh database, the simulator, the app, and Alice logged in with the bench Page connected. */
async function startBench(
  database: DatabaseServer,
  dataDir: string,
  withBurstPeople: boolean,
): Promise<Bench> {
  const databaseName = `pw_bench_${randomBytes(4).toString('hex')}`;
  await connectMongoose(database.uri, databaseName);
  const everyone = [...people, ...warmUpPeople, ...(withBurstPeople ? burstPeople : [])];
  const simulator = await startSimulator({
    seed: {
      users: [{ id: '1001', name: 'Alice Admin', email: 'alice@example.com' }],
      pages: [{ id: pageId, name: 'Bench Page', adminUserIds: ['1001'] }],
      people: everyone,
    },
  });
  // Each person has written to the Page before, so Meta (the simulator) answers Pagewire's profile call for them.
  await openThreads(
    simulator,
    pageId,
    everyone.map((p) => p.id),
  );
  const app = await startBenchApp({ databaseUri: database.uri, databaseName, simulator });
  await simulator.control.setWebhook({ callbackUrl: `${app.url}/webhooks/facebook` });
  const psids = new Map<string, Promise<string>>();
  const alice = await loginThroughSimulator({
    appUrl: app.url,
    simulatorUrl: simulator.url,
    facebookUserId: '1001',
  });
  await alice.agent
    .post('/api/pages')
    .set(alice.csrf)
    .send({ fbPageIds: [pageId] })
    .expect(201);
  await assertSubscribedLikeARealPage(simulator, pageId);
  return {
    simulator,
    app,
    alice,
    cpuSeconds() {
      const dbPid = databasePid(dataDir);
      return {
        app: cpuSecondsOf(app.pid),
        bench: cpuSecondsOf(process.pid),
        database: dbPid ? cpuSecondsOf(dbPid) : NaN,
      };
    },
    agentSocket: () => connectAgentSocket(app.url, alice.cookie).connected,
    psidOf(personId) {
      const known = psids.get(personId) ?? simulator.control.psidFor(personId, pageId);
      psids.set(personId, known);
      return known;
    },
    async stop() {
      await app.stop();
      await simulator.stop();
      await mongoose.connection.dropDatabase();
      await mongoose.disconnect();
    },
  };
}

/** Resolves each awaited text's `message:new` with the time the agent's socket received it. */
function arrivals(socket: PagewireSocket) {
  const waiting = new Map<string, (at: number) => void>();
  const seen = new Map<string, number>();
  socket.on('message:new', (event) => {
    const text = event.message.text ?? '';
    const prefix = text.slice(0, text.indexOf(' '));
    seen.set(prefix, (seen.get(prefix) ?? 0) + 1);
    waiting.get(text)?.(performance.now());
  });
  return {
    /** Call before the message is sent. */
    next(text: string): Promise<number> {
      return new Promise<number>((resolve) => waiting.set(text, resolve)).finally(() => waiting.delete(text));
    },
    /** How many `message:new` arrived whose text starts with `prefix` and a space. */
    count: (prefix: string) => seen.get(prefix) ?? 0,
  };
}

/**
 * The webhook POST → the agent's `message:new`, in ms: the person's message signed as Meta signs it and POSTed here
 * (the simulator plays Meta for everything else: the profile, the sends).
 */
async function oneMessage(
  bench: Bench,
  socketArrivals: ReturnType<typeof arrivals>,
  from: string,
  text: string,
) {
  const psid = await bench.psidOf(from);
  const { body, headers } = signedMessage(bench.simulator.appSecret, pageId, psid, text);
  const received = socketArrivals.next(text);
  const started = performance.now();
  const status = await postWebhook(`${bench.app.url}/webhooks/facebook`, headers, body, {
    timeoutMs: postTimeoutMs,
  });
  if (status !== 200) throw new Error(`the webhook was answered ${status}`);
  return (await received) - started;
}

/** The inbox list as the dashboard asks for it (GET /api/conversations, the first page), in ms. */
async function inboxList(bench: Bench): Promise<number> {
  const started = performance.now();
  await bench.alice.agent.get('/api/conversations').expect(200);
  return performance.now() - started;
}

async function latencyScenario(
  database: DatabaseServer,
  dataDir: string,
  livedIn: boolean,
): Promise<string[]> {
  const bench = await startBench(database, dataDir, false);
  try {
    const seeded = livedIn ? await seedLivedInWorkspaceOf('1001') : null;
    const socketArrivals = arrivals(await bench.agentSocket());
    /** `count` messages from `senders` in turn, `inFlight` at a time; each one's latency at its index. */
    const sendAll = async (count: number, senders: typeof people, label: string) => {
      const latencies: number[] = [];
      let next = 0;
      const worker = async () => {
        while (next < count) {
          const n = next++;
          const from = senders[n % senders.length]?.id ?? 'b0';
          latencies[n] = await oneMessage(bench, socketArrivals, from, `${label} message ${n}`);
        }
      };
      await Promise.all(Array.from({ length: inFlight }, worker));
      return latencies;
    };
    await sendAll(warmUpMessages, warmUpPeople, 'warm-up');
    const began = performance.now();
    const cpuBefore = bench.cpuSeconds();
    const latencies = await sendAll(total, people, 'bench');
    const seconds = (performance.now() - began) / 1000;
    const cpuAfter = bench.cpuSeconds();
    const cpuMsPerMessage = (['app', 'bench', 'database'] as const)
      .map((process) => (((cpuAfter[process] - cpuBefore[process]) * 1000) / total).toFixed(1))
      .join(' / ');
    const echoes = (await bench.simulator.control.webhookEvents({ pageId })).filter(
      (event) => event.field === 'message_echoes',
    ).length;

    const sorted = [...latencies].sort((a, b) => a - b);
    const firstContacts = latencies.slice(0, people.length).sort((a, b) => a - b);
    process.stdout.write(
      `webhook -> agent socket over ${total} messages (${contentsOf(seeded)}, after ${warmUpMessages} to warm up): ` +
        `median ${ms(percentile(sorted, 50))} ms, p99 ${ms(percentile(sorted, 99))} ms (the ${people.length} first ` +
        `contacts: median ${ms(percentile(firstContacts, 50))} ms); ${echoes} echoes emitted; CPU ms per message ` +
        `(app / bench / db) ${cpuMsPerMessage}\n`,
    );
    return [
      new Date().toISOString().slice(0, 10),
      database.kind,
      contentsOf(seeded),
      String(total),
      String(warmUpMessages),
      String(inFlight),
      ms(percentile(sorted, 50)),
      ms(percentile(sorted, 99)),
      (total / seconds).toFixed(0),
      cpuMsPerMessage,
      machine(),
    ];
  } finally {
    await bench.stop();
  }
}

/** One body near the limit: each burst person's message with a text of up to Messenger's cap, in one entry. */
function bigBody(appSecret: string, psids: string[], body: number) {
  const time = Date.now();
  const filler = 'Order details, photos described, addresses and the rest of a long message. ';
  const items: ReturnType<typeof messageItem>[] = [];
  // Serialised, the envelope is ASCII: its length is its size in bytes, each item adds its own and a comma.
  let size = serialise(envelope([{ id: pageId, time, messaging: [] }])).length;
  for (let k = 0; size < bigBodyBytes; k += 1) {
    const psid = psids[k % psids.length] as string;
    const text = `big ${body}.${k} ${filler.repeat(Math.ceil(longestText / filler.length))}`;
    const item = messageItem(pageId, psid, newMid(), '', time);
    const room = bigBodyBytes - size - serialise(item).length - 1;
    if (room < 100) break;
    item.message.text = text.slice(0, Math.min(longestText, room));
    items.push(item);
    size += serialise(item).length + 1;
  }
  return { items: items.length, ...signedBody(appSecret, [{ id: pageId, time, messaging: items }]) };
}

async function bigBodiesScenario(
  database: DatabaseServer,
  dataDir: string,
  livedIn: boolean,
): Promise<string[]> {
  const bench = await startBench(database, dataDir, true);
  try {
    const seeded = livedIn ? await seedLivedInWorkspaceOf('1001') : null;
    const socketArrivals = arrivals(await bench.agentSocket());
    const quietMessage = await oneMessage(bench, socketArrivals, 'b0', 'quiet message before');
    const quietInbox = await inboxList(bench);

    const psids = await Promise.all(burstPeople.map((p) => bench.simulator.control.psidFor(p.id, pageId)));
    const bodies = Array.from({ length: bigBodies }, (_, b) => bigBody(bench.simulator.appSecret, psids, b));
    const burstItems = bodies.reduce((sum, body) => sum + body.items, 0);
    const acks: number[] = [];
    const began = performance.now();
    for (const { body, headers } of bodies) {
      const started = performance.now();
      const status = await postWebhook(`${bench.app.url}/webhooks/facebook`, headers, body, {
        timeoutMs: postTimeoutMs,
      });
      if (status !== 200) throw new Error(`a big body was answered ${status}`);
      acks.push(performance.now() - started);
    }
    const [afterMessage, afterInbox] = await Promise.all([
      oneMessage(bench, socketArrivals, 'b1', 'next message after the big bodies'),
      inboxList(bench),
    ]);
    const deadline = Date.now() + burstTimeoutMs;
    while (socketArrivals.count('big') < burstItems && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const burstSeconds = (performance.now() - began) / 1000;
    const burstArrived = socketArrivals.count('big');

    const bodyBytes = bodies.map((b) => b.body.length);
    process.stdout.write(
      `big bodies (${contentsOf(seeded)}): ${bigBodies} bodies of ${Math.min(...bodyBytes)}–${Math.max(...bodyBytes)} bytes ` +
        `(${burstItems} messages); next message ${ms(quietMessage)} ms quiet, ${ms(afterMessage)} ms after; ` +
        `inbox list ${ms(quietInbox)} ms quiet, ${ms(afterInbox)} ms after; ` +
        `${burstArrived} of ${burstItems} burst messages reached the agent in ${burstSeconds.toFixed(1)} s\n`,
    );
    return [
      new Date().toISOString().slice(0, 10),
      database.kind,
      contentsOf(seeded),
      `${bigBodies} × ${Math.round(Math.max(...bodyBytes) / 1024)} KiB, ${burstItems} messages`,
      `${ms(Math.max(...acks))}`,
      `${ms(quietMessage)} / ${ms(afterMessage)}`,
      `${ms(quietInbox)} / ${ms(afterInbox)}`,
      `${burstArrived === burstItems ? '' : `${burstArrived} of ${burstItems} in `}${burstSeconds.toFixed(1)}`,
      machine(),
    ];
  } finally {
    await bench.stop();
  }
}

const scenarios = [
  {
    name: 'plain',
    run: (database: DatabaseServer, dataDir: string) => latencyScenario(database, dataDir, false),
    table: 'latency',
  },
  {
    name: 'lived-in',
    run: (database: DatabaseServer, dataDir: string) => latencyScenario(database, dataDir, true),
    table: 'latency',
  },
  {
    name: 'big-bodies',
    run: (database: DatabaseServer, dataDir: string) => bigBodiesScenario(database, dataDir, false),
    table: 'big-bodies',
  },
  {
    name: 'lived-in-big-bodies',
    run: (database: DatabaseServer, dataDir: string) => bigBodiesScenario(database, dataDir, true),
    table: 'big-bodies',
  },
] as const;

async function main() {
  const dataDir = testTempDir('pagewire-bench-db');
  const database = await resolveDatabaseServer({
    ...(process.env.MONGODB_URI ? { mongodbUri: process.env.MONGODB_URI } : {}),
    dataDir,
    toolsRoot: root,
  });
  const rows = { latency: [] as string[][], 'big-bodies': [] as string[][] };
  try {
    for (const scenario of chosenScenarios([...scenarios], ['plain'])) {
      process.stdout.write(`[${scenario.name}]\n`);
      rows[scenario.table].push(await scenario.run(database, dataDir));
    }
  } finally {
    if (rows.latency.length > 0) {
      reportSection(
        'Webhook to agent socket',
        'From the signed webhook POST (signed and sent by the benchmark as Meta sends it) to the agent’s ' +
          '`message:new` (`npm run bench:latency`), on one machine.',
        [
          'date',
          'database',
          'data',
          'messages',
          'warm-up messages',
          'in flight',
          'median ms',
          'p99 ms',
          'messages/s',
          'CPU ms per message (app / bench / db)',
          'machine',
        ],
        rows.latency,
      );
    }
    if (rows['big-bodies'].length > 0) {
      reportSection(
        'Big bodies, then the next message',
        '`BENCH_SCENARIOS=big-bodies npm run bench:latency`: fifteen signed webhook bodies just under the 1 MB ' +
          'body limit, each full of messages of up to 20,000 characters from 60 people, POSTed one after another; ' +
          'then, at once, a normal message (webhook POST → agent’s `message:new`) and the inbox list ' +
          '(`GET /api/conversations`), each against the same measured on the quiet app just before.',
        [
          'date',
          'database',
          'data',
          'bodies',
          'slowest ack ms',
          'next message ms (quiet / after)',
          'inbox list ms (quiet / after)',
          'burst to agent s',
          'machine',
        ],
        rows['big-bodies'],
      );
    }
    await database.stop();
  }
}

runToExit(main);
