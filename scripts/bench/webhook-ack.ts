/**
 * Webhook acknowledgement: how long Pagewire takes to answer a signed message webhook, POSTed straight to
 * /webhooks/facebook at a steady rate. Open loop: each POST leaves at its scheduled time whether or not the earlier
 * ones were answered, as Meta's deliveries do. Pagewire runs as its own process (`server/main.ts`).
 *
 *   npm run bench:ack                                    # plain: 200 messages/s for 30 s from 1,000 people
 *   BENCH_SCENARIOS=lived-in npm run bench:ack           # the same after seeding a lived-in database (lived-in.ts)
 *   BENCH_RATE=50 BENCH_SECONDS=5 BENCH_PEOPLE=100 BENCH_APPEND=0 npm run bench:ack
 *
 * Each POST is one entry with one person's text message, signed with the app secret and POSTed as the simulator
 * signs and posts its webhooks (`simulator/webhook-sender/post.ts`). The first BENCH_WARMUP_SECONDS (2) are sent at
 * the same rate and not counted. Appends to BENCHMARKS.md unless BENCH_APPEND=0.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import mongoose from 'mongoose';
import { WebhookEvent } from '../../models/webhook-event';
import { resolveDatabaseServer, type DatabaseServer } from '../../server/platform/database/database-server';
import { connectMongoose } from '../../server/platform/database/mongoose-connection';
import { startSimulator } from '../../simulator/index';
import { postWebhook } from '../../simulator/webhook-sender/post';
import { loginThroughSimulator } from '../../test/support/simulator-login';
import { testTempDir } from '../../test/support/temp-dir';
import { runToExit } from '../run-to-exit';
import {
  assertSubscribedLikeARealPage,
  chosenScenarios,
  contentsOf,
  machine,
  ms,
  openThreads,
  percentile,
  reportSection,
  root,
  seedLivedInWorkspaceOf,
  signedMessage,
  startBenchApp,
} from './bench-support';

const rate = Number(process.env.BENCH_RATE ?? 200);
const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const peopleCount = Number(process.env.BENCH_PEOPLE ?? 1000);
const pageId = '2001';
const sleep = (waitMs: number) => new Promise((resolve) => setTimeout(resolve, waitMs));

interface Post {
  /** How far behind its scheduled time the POST left, in ms: the load generator's own lag. */
  lateMs: number;
  /** From leaving to the answer read, in ms. */
  answeredMs: number;
  /** The answer's status, or what went wrong instead (the error's code, such as ECONNRESET, else its message). */
  status: number | string;
}

/** POSTs `count` signed messages at `rate`/s on a fixed schedule, without waiting for answers before the next. */
async function postOpenLoop(url: string, appSecret: string, psids: string[], count: number): Promise<Post[]> {
  const posts: Promise<Post>[] = [];
  const intervalMs = 1000 / rate;
  const began = performance.now();
  for (let i = 0; i < count; i += 1) {
    const due = began + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const psid = psids[i % psids.length] as string;
    const { body, headers } = signedMessage(appSecret, pageId, psid, `ack bench ${i}`);
    const left = performance.now();
    posts.push(
      postWebhook(url, headers, body, { timeoutMs: 20_000 }).then(
        (status) => ({ lateMs: left - due, answeredMs: performance.now() - left, status }),
        (error: NodeJS.ErrnoException) => ({
          lateMs: left - due,
          answeredMs: performance.now() - left,
          status: error.code ?? error.message,
        }),
      ),
    );
  }
  return Promise.all(posts);
}

async function ackScenario(database: DatabaseServer, livedIn: boolean): Promise<string[]> {
  const people = Array.from({ length: peopleCount }, (_, i) => ({
    id: `a${i}`,
    firstName: `Ack${i}`,
    lastName: 'Person',
  }));
  const simulator = await startSimulator({
    seed: {
      users: [{ id: '1001', name: 'Alice Admin', email: 'alice@example.com' }],
      pages: [{ id: pageId, name: 'Bench Page', adminUserIds: ['1001'] }],
      people,
    },
  });
  const psids = await openThreads(
    simulator,
    pageId,
    people.map((p) => p.id),
  );
  const databaseName = `pw_bench_${randomBytes(4).toString('hex')}`;
  await connectMongoose(database.uri, databaseName);
  const app = await startBenchApp({ databaseUri: database.uri, databaseName, simulator });
  try {
    await simulator.control.setWebhook({ callbackUrl: `${app.url}/webhooks/facebook` });
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
    const seeded = livedIn ? await seedLivedInWorkspaceOf('1001') : null;

    const url = `${app.url}/webhooks/facebook`;
    process.stdout.write(
      `POSTing ${rate} messages/s: ${warmupSeconds} s of warm-up, then ${seconds} s measured\n`,
    );
    const all = await postOpenLoop(
      url,
      simulator.appSecret,
      psids,
      Math.round(rate * (warmupSeconds + seconds)),
    );
    const posts = all.slice(Math.round(rate * warmupSeconds));
    const backlog = await WebhookEvent.countDocuments({ status: { $in: ['pending', 'processing'] } });

    const answered = posts.map((p) => p.answeredMs).sort((a, b) => a - b);
    const late = posts.map((p) => p.lateMs).sort((a, b) => a - b);
    const refused = new Map<string, number>();
    for (const { status } of posts) {
      if (status !== 200) refused.set(String(status), (refused.get(String(status)) ?? 0) + 1);
    }
    const notOk = [...refused].map(([status, n]) => `${n} × ${status}`).join(', ') || '0';
    process.stdout.write(
      `acks over ${posts.length} POSTs (${contentsOf(seeded)}): p50 ${ms(percentile(answered, 50))} ms, ` +
        `p95 ${ms(percentile(answered, 95))} ms, p99 ${ms(percentile(answered, 99))} ms, max ` +
        `${ms(answered.at(-1) ?? NaN)} ms; not 200: ${notOk}; sent late by up to ${ms(late.at(-1) ?? NaN)} ms ` +
        `(p99 ${ms(percentile(late, 99))}); ${backlog} events still to process at the end\n`,
    );
    return [
      new Date().toISOString().slice(0, 10),
      database.kind,
      contentsOf(seeded),
      `${rate} × ${seconds} s`,
      String(posts.length),
      ms(percentile(answered, 50)),
      ms(percentile(answered, 95)),
      ms(percentile(answered, 99)),
      ms(answered.at(-1) ?? NaN),
      notOk,
      ms(percentile(late, 99)),
      String(backlog),
      machine(),
    ];
  } finally {
    if (process.env.BENCH_APP_LOG) writeFileSync(process.env.BENCH_APP_LOG, app.output());
    await app.stop();
    await simulator.stop();
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  }
}

const scenarios = [
  { name: 'plain', run: (database: DatabaseServer) => ackScenario(database, false) },
  { name: 'lived-in', run: (database: DatabaseServer) => ackScenario(database, true) },
];

async function main() {
  const database = await resolveDatabaseServer({
    ...(process.env.MONGODB_URI ? { mongodbUri: process.env.MONGODB_URI } : {}),
    dataDir: testTempDir('pagewire-bench-db'),
    toolsRoot: root,
  });
  const rows: string[][] = [];
  try {
    for (const scenario of chosenScenarios(scenarios, ['plain'])) {
      process.stdout.write(`[${scenario.name}]\n`);
      rows.push(await scenario.run(database));
    }
  } finally {
    if (rows.length > 0) {
      reportSection(
        'Webhook acknowledgement',
        '`npm run bench:ack`: signed message webhooks POSTed straight to `/webhooks/facebook` on a fixed schedule ' +
          '(open loop), one message per POST from many people; Pagewire as its own process. Times are from each ' +
          'POST leaving to its answer; "late p99" is how far the load generator itself fell behind its schedule; ' +
          '"backlog" is the events stored but not yet processed when the last answer came.',
        [
          'date',
          'database',
          'data',
          'messages/s × time',
          'POSTs',
          'p50 ms',
          'p95 ms',
          'p99 ms',
          'max ms',
          'not 200',
          'late p99 ms',
          'backlog',
          'machine',
        ],
        rows,
      );
    }
    await database.stop();
  }
}

runToExit(main);
