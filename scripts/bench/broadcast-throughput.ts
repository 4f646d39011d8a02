/**
 * Broadcast throughput: how close a broadcast comes to the Page's rate limit, how much memory and CPU it takes, and
 * how long "send now" takes to reach the first person. Pagewire runs as its own process (`server/main.ts`, as
 * production starts it) against the simulator, which enforces L calls/s per Page and is the judge of what was sent.
 * As Meta does for a connected Page, the simulator sends a `message_echoes` webhook back for every message sent.
 *
 *   npm run bench:broadcast                        # every scenario below; appends to BENCHMARKS.md
 *   BENCH_SCENARIOS=one-page BENCH_SCALE=0.1 BENCH_APPEND=0 npm run bench:broadcast   # a quick look, only printed
 *
 * Scenarios: `one-page` (20,000 eligible recipients on one Page at L = 300), `one-page-lived-in` (the same on a
 * database already holding 100,000 subscribers of other Pages and 500,000 messages, scripts/bench/lived-in.ts),
 * `ten-pages` (2,000 on each of 10 Pages at L = 50, sent in parallel), `ten-pages-max` (the same at L = 300: the
 * most this machine sends), `memory` (100,000 recipients on 10 Pages, for the peak RSS). BENCH_RATE overrides L.
 *
 *   BENCH_PROCESSES=2 BENCH_SCENARIOS=ten-pages-max npm run bench:broadcast   # as npm run start:cluster runs it
 *   BENCH_APP_NODE_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/prof'    # profiles the app
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose, { Types } from 'mongoose';
import { SubscriberModel } from '../../models/subscriber';
import { BroadcastModel } from '../../models/broadcast';
import { BroadcastBatchResultModel } from '../../models/broadcast-batch';
import { PageModel } from '../../models/page';
import { resolveDatabaseServer, type DatabaseServer } from '../../server/platform/database/database-server';
import { connectMongoose } from '../../server/platform/database/mongoose-connection';
import { serverNodeFlags } from '../../server/platform/process-flags';
import { startSimulator, type DeliveryTiming, type Simulator } from '../../simulator/index';
import { loginThroughSimulator } from '../../test/support/simulator-login';
import { testTempDir } from '../../test/support/temp-dir';
import { runToExit } from '../run-to-exit';
import {
  appNodeFlags,
  childPids,
  cpuSecondsOf,
  cpuSecondsOfTree,
  databasePid,
  startBenchApp,
} from './bench-support';
import { startRedisServer } from '../../server/platform/redis-server';
import { seedLivedInDatabase } from './lived-in';

interface Scenario {
  name: string;
  pages: number;
  perPage: number;
  /** L: Meta's and the app's sends per second per Page. */
  rate: number;
  /** Seeds the database with other Pages' subscribers and history first (scripts/bench/lived-in.ts). */
  livedIn?: boolean;
}

/** BENCH_PROCESSES=N runs Pagewire as `npm run start:cluster` does: N app processes on one port, sharing a Redis. */
const appProcesses = Number(process.env.BENCH_PROCESSES ?? 1);
const rateOverride = process.env.BENCH_RATE ? Number(process.env.BENCH_RATE) : undefined;
const scenarios: Scenario[] = [
  { name: 'one-page', pages: 1, perPage: 20_000, rate: 300 },
  { name: 'one-page-lived-in', pages: 1, perPage: 20_000, rate: 300, livedIn: true },
  { name: 'ten-pages', pages: 10, perPage: 2_000, rate: 50 },
  { name: 'ten-pages-max', pages: 10, perPage: 2_000, rate: 300 },
  { name: 'memory', pages: 10, perPage: 10_000, rate: 300 },
].map((scenario) => ({ ...scenario, rate: rateOverride ?? scenario.rate }));
/** A quick look at a smaller run: BENCH_SCALE=0.1 sends a tenth of every scenario. */
const scale = Number(process.env.BENCH_SCALE ?? 1);
const chosen = (process.env.BENCH_SCENARIOS ?? scenarios.map((s) => s.name).join(',')).split(',');
const root = path.resolve(__dirname, '../..');
const MB = 1024 * 1024;
/** Every wait is bounded: a scenario that has not finished by then is reported as failed. */
const scenarioTimeoutMs = 30 * 60_000;

interface Result {
  scenario: Scenario;
  eligible: number;
  sent: number;
  duplicates: number;
  rateLimitRefusals: number;
  perPageFraction: { min: number; median: number };
  aggregatePerSecond: number;
  firstMessageMs: number;
  totalSeconds: number;
  rssBeforeMb: number;
  rssGrowthMb: number;
  /** Echo webhooks the simulator sent while the broadcast ran, and how long Pagewire took to answer them. */
  echoes: { count: number; failed: number; p50Ms: number; p99Ms: number; maxMs: number };
  /** CPU seconds per second of sending (1 = one core busy), per process. */
  cpu: { app: number; bench: number; database: number | undefined };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const processTree = (pid: number): number[] => [pid, ...childPids(pid).flatMap(processTree)];

/**
 * Resident memory in bytes of Pagewire's processes (one, or a cluster's primary and app processes): `VmRSS` now, or
 * `VmHWM`, the peak since the last reset.
 */
function memoryOf(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  return processTree(pid).reduce((sum, one) => {
    const status = readFileSync(`/proc/${one}/status`, 'utf8');
    return sum + Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) * 1024;
  }, 0);
}

/** Resets the kernel's peak-RSS counters, so `VmHWM` afterwards is the peak of the broadcast alone. */
function resetPeak(pid: number): void {
  for (const one of processTree(pid)) writeFileSync(`/proc/${one}/clear_refs`, '5');
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const value = await probe().catch((error: unknown) => {
      lastError = error;
      return undefined;
    });
    if (value !== undefined) return value;
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}

/** Each person writes to each of their Pages, so Meta (the simulator) knows their 24-hour window is open. */
async function openWindows(
  simulator: Simulator,
  fbPageIds: string[],
  people: string[],
): Promise<Map<string, string>> {
  const psids = new Map<string, string>();
  const work = fbPageIds.flatMap((pageId) => people.map((person) => ({ pageId, person })));
  let next = 0;
  const worker = async () => {
    for (let item = work[next++]; item; item = work[next++]) {
      const { psid } = await simulator.control.sendText(item.person, item.pageId, 'hello');
      psids.set(`${item.pageId}:${item.person}`, psid);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return psids;
}

/** The subscribers our database would hold after those first messages: written in bulk, not through webhooks. */
async function insertSubscribers(fbPageIds: string[], people: string[], psids: Map<string, string>) {
  const pages = await PageModel.find({ fbPageId: { $in: fbPageIds } }).lean();
  const at = new Date(Date.now() - 3_600_000);
  for (const page of pages) {
    for (let start = 0; start < people.length; start += 1_000) {
      const rows = people.slice(start, start + 1_000).map((person) => ({
        _id: new Types.ObjectId(),
        workspace: page.workspace,
        page: page._id,
        fbPageId: page.fbPageId,
        psid: psids.get(`${page.fbPageId}:${person}`),
        searchName: person,
        profile: { state: 'fetched' },
        optIn: { source: 'message', at },
        lastInteractionAt: at,
        lastUserMessageAt: at,
        status: 'subscribed',
        tags: [],
        customFields: {},
      }));
      await SubscriberModel.collection.insertMany(rows, { ordered: false });
    }
  }
  return pages.map((page) => page._id.toString());
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

/** Echo deliveries Pagewire did not answer 200 (Meta delivers them again): printed by what they got instead. */
function reportUnacknowledged(attempts: DeliveryTiming[]): void {
  const reasons = new Map<string, number>();
  for (const attempt of attempts.filter((a) => a.status !== 200)) {
    const reason = attempt.error ?? `HTTP ${attempt.status}`;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  for (const [reason, times] of reasons)
    process.stdout.write(`echo delivery not answered 200 × ${times}: ${reason}\n`);
}

function echoAcks(attempts: DeliveryTiming[]): Result['echoes'] {
  reportUnacknowledged(attempts);
  const durations = attempts.map((attempt) => attempt.durationMs);
  return {
    count: attempts.length,
    failed: attempts.filter((attempt) => attempt.status !== 200).length,
    p50Ms: percentile(durations, 50),
    p99Ms: percentile(durations, 99),
    maxMs: Math.max(0, ...durations),
  };
}

async function runScenario(database: DatabaseServer, dataDir: string, scenario: Scenario): Promise<Result> {
  const { rate } = scenario;
  const fbPageIds = Array.from({ length: scenario.pages }, (_, i) => String(3_000_001 + i));
  const people = Array.from({ length: Math.round(scenario.perPage * scale) }, (_, i) => `p${i}`);
  const simulator = await startSimulator({
    seed: {
      users: [{ id: '1001', name: 'Bench Admin', email: 'bench@example.com' }],
      pages: fbPageIds.map((id) => ({ id, name: `Bench Page ${id}`, adminUserIds: ['1001'] })),
      people: people.map((id) => ({ id, firstName: id, lastName: 'Bench' })),
    },
    rateLimits: { textPerSecond: rate },
  });
  const databaseName = `pw_bench_${randomBytes(4).toString('hex')}`;
  await connectMongoose(database.uri, databaseName);
  if (scenario.livedIn) {
    const seeded = await seedLivedInDatabase({
      scale: Number(process.env.BENCH_LIVED_IN_SCALE ?? 1),
      onProgress: (line) => process.stdout.write(`[${scenario.name}] ${line}\n`),
    });
    process.stdout.write(
      `[${scenario.name}] lived-in: ${JSON.stringify(seeded.counts)} in ${seeded.seconds.toFixed(0)} s\n`,
    );
  }
  const redis = appProcesses > 1 ? await startRedisServer({ logDir: dataDir }) : undefined;
  const app = await startBenchApp(
    { databaseUri: database.uri, databaseName, simulator },
    {
      GRAPH_MAX_RETRIES: '3',
      GRAPH_TIMEOUT_MS: '10000',
      PAGE_SEND_RATE_PER_SECOND: String(rate),
      ...(redis ? { REDIS_URL: redis.url, CLUSTER_PROCESSES: String(appProcesses) } : {}),
    },
    { cluster: Boolean(redis) },
  );
  try {
    const admin = await loginThroughSimulator({
      appUrl: app.url,
      simulatorUrl: simulator.url,
      facebookUserId: '1001',
    });
    await admin.agent.post('/api/pages').set(admin.csrf).send({ fbPageIds }).expect(201);
    process.stdout.write(`[${scenario.name}] opening ${fbPageIds.length * people.length} windows\n`);
    const psids = await openWindows(simulator, fbPageIds, people);
    const pageIds = await insertSubscribers(fbPageIds, people, psids);
    // Meta's webhooks from here on (the windows above were opened before, as if long ago): connecting the Pages
    // subscribed them to messages, message_echoes, deliveries, reads... (server/pages/subscribed-fields.ts).
    await simulator.control.setWebhook({ callbackUrl: `${app.url}/webhooks/facebook` });

    const created = await admin.agent
      .post('/api/broadcasts')
      .set(admin.csrf)
      .send({
        name: `bench ${scenario.name}`,
        pages: pageIds,
        content: { type: 'text', text: 'Spring sale: everything 20% off until Sunday.' },
        purpose: 'promotional',
      })
      .expect(201);
    const broadcastId = (created.body as { _id: string })._id;
    const estimate = (await admin.agent.get(`/api/broadcasts/${broadcastId}/estimate`).expect(200)).body as {
      eligible: number;
    };

    await sleep(1_000);
    const rssBefore = memoryOf(app.pid, 'VmRSS');
    resetPeak(app.pid);
    const dbPid = databasePid(dataDir);
    const cpuBefore = {
      app: cpuSecondsOfTree(app.pid),
      bench: cpuSecondsOf(process.pid),
      database: dbPid ? cpuSecondsOf(dbPid) : NaN,
    };
    const attemptsBefore = (await simulator.control.webhookDeliveries({ bodies: false })).length;
    process.stdout.write(
      `[${scenario.name}] sending to ${estimate.eligible} eligible recipients at L=${rate}/s\n`,
    );
    const sentAt = Date.now();
    await admin.agent.post(`/api/broadcasts/${broadcastId}/send`).set(admin.csrf).expect(200);
    process.stdout.write(`[${scenario.name}] send accepted after ${Date.now() - sentAt} ms\n`);
    let lastShown = Date.now();
    // The broadcast's state by `_id` and its finished batches, read from the database: the API's totals count every
    // recipient, a scan on FerretDB the bench would add to the load it measures.
    const finished = await waitFor(
      'the broadcast to complete',
      async () => {
        const broadcast = await BroadcastModel.findById(broadcastId).select({ state: 1 }).lean();
        const state = broadcast?.state ?? 'missing';
        if (Date.now() - lastShown > 5_000) {
          lastShown = Date.now();
          const batches = await BroadcastBatchResultModel.find({ broadcast: broadcastId })
            .select({ sent: 1 })
            .lean();
          const sentSoFar = batches.reduce((sum, batch) => sum + batch.sent, 0);
          process.stdout.write(`[${scenario.name}] ${state}: ${sentSoFar} sent in finished batches\n`);
        }
        return ['completed', 'failed', 'cancelled', 'paused'].includes(state) ? state : undefined;
      },
      scenarioTimeoutMs,
      1_000,
    );
    const peak = memoryOf(app.pid, 'VmHWM');
    const busySeconds = (Date.now() - sentAt) / 1000;
    const cpuShare = (now: number, before: number) => (now - before) / busySeconds;
    const cpu = {
      app: cpuShare(cpuSecondsOfTree(app.pid), cpuBefore.app),
      bench: cpuShare(cpuSecondsOf(process.pid), cpuBefore.bench),
      database: dbPid ? cpuShare(cpuSecondsOf(dbPid), cpuBefore.database) : undefined,
    };
    if (finished !== 'completed') throw new Error(`the broadcast ended ${finished}`);
    await simulator.control.waitForWebhookIdle(60_000).catch(() => undefined);
    const echoes = echoAcks(
      (await simulator.control.webhookDeliveries({ bodies: false })).slice(attemptsBefore),
    );

    const fractions: number[] = [];
    let sent = 0;
    let duplicates = 0;
    let first = Infinity;
    let last = 0;
    for (const fbPageId of fbPageIds) {
      const messages = (await simulator.control.sentMessages({ pageId: fbPageId })).filter((m) => m.message);
      const times = messages.map((m) => m.receivedAt).sort((a, b) => a - b);
      sent += messages.length;
      duplicates += messages.length - new Set(messages.map((m) => m.psid)).size;
      const span = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000;
      fractions.push(span > 0 ? (messages.length - 1) / span / rate : NaN);
      first = Math.min(first, times[0] ?? Infinity);
      last = Math.max(last, times.at(-1) ?? 0);
    }
    const refusals = (await simulator.control.violations()).filter(
      (v) => [4, 32, 613].includes(v.code) || v.code >= 80_000,
    );
    return {
      scenario,
      eligible: estimate.eligible,
      sent,
      duplicates,
      rateLimitRefusals: refusals.length,
      perPageFraction: { min: Math.min(...fractions), median: median(fractions) },
      aggregatePerSecond: (sent - 1) / ((last - first) / 1000),
      firstMessageMs: first - sentAt,
      totalSeconds: (last - sentAt) / 1000,
      rssBeforeMb: rssBefore / MB,
      rssGrowthMb: (peak - rssBefore) / MB,
      echoes,
      cpu,
    };
  } catch (error) {
    const warnings = app
      .output()
      .split('\n')
      .filter((line) => /"level":(40|50|60)/.test(line));
    process.stdout.write(`[${scenario.name}] the app's last warnings:\n${warnings.slice(-20).join('\n')}\n`);
    throw error;
  } finally {
    // BENCH_APP_LOG=<file>: the app's own output (warnings and errors), for a run that went wrong.
    if (process.env.BENCH_APP_LOG) writeFileSync(process.env.BENCH_APP_LOG, app.output());
    await app.stop();
    await redis?.stop();
    await simulator.stop();
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  }
}

function report(database: DatabaseServer, results: Result[]): void {
  const date = new Date().toISOString().slice(0, 10);
  // The app's flags in the order it gets them: a heap in BENCH_APP_NODE_FLAGS comes last and wins.
  const heapFlag = [...serverNodeFlags(process.env), ...appNodeFlags()]
    .filter((flag) => flag.startsWith('--max-old-space-size='))
    .at(-1);
  const heap = `${heapFlag?.split('=')[1] ?? '?'} MB`;
  const cores = (share: number | undefined) => (share === undefined ? 'n/a' : share.toFixed(2));
  const rows = results.map(
    (r) =>
      `| ${date} | ${database.kind} | ${r.scenario.name}${appProcesses > 1 ? ` (${appProcesses} app processes)` : ''} | ${r.scenario.pages} × ${r.eligible / r.scenario.pages} | ${r.scenario.rate} | ` +
      `${r.sent} / ${r.eligible} | ${r.duplicates} | ${r.rateLimitRefusals} | ` +
      `${r.perPageFraction.min.toFixed(3)} / ${r.perPageFraction.median.toFixed(3)} | ` +
      `${r.aggregatePerSecond.toFixed(0)} | ${r.firstMessageMs.toFixed(0)} | ${r.totalSeconds.toFixed(1)} | ` +
      `${r.echoes.count} / ${r.echoes.failed} | ${r.echoes.p50Ms} / ${r.echoes.p99Ms} / ${r.echoes.maxMs} | ` +
      `${cores(r.cpu.app)} / ${cores(r.cpu.bench)} / ${cores(r.cpu.database)} | ` +
      `${r.rssBeforeMb.toFixed(0)} | ${r.rssGrowthMb.toFixed(0)} | ${heap} | ${os.cpus().length} | ` +
      `${os.loadavg()[0]?.toFixed(1)} |`,
  );
  for (const row of rows) process.stdout.write(`${row}\n`);
  if (process.env.BENCH_APPEND === '0') return;
  appendFileSync(
    path.join(root, 'BENCHMARKS.md'),
    '\n## Broadcast throughput\n\n' +
      '`npm run bench:broadcast`: Pagewire as its own process, the simulator enforcing L sends/s per Page and ' +
      'sending an echo webhook for every message, as Meta does. Rates are measured where the simulator received ' +
      'each send; "of L" is each Page’s achieved rate divided by L (worst / median Page); echo acks are how long ' +
      'Pagewire took to answer the echo webhooks (p50 / p99 / max); CPU is each process’s CPU seconds per second ' +
      'of sending (app / benchmark with the simulator / database); RSS growth is the app process’s peak during ' +
      'the broadcast over its resident size just before "send now"; load is the 1-minute load average at the end.\n\n' +
      '| date | database | scenario | Pages × recipients | L | sent / eligible | duplicates | rate-limit refusals | ' +
      'of L (worst / median) | sends/s (all Pages) | first message ms | seconds | echoes / not 200 | ' +
      'echo ack ms (p50 / p99 / max) | CPU (app / bench / db) | RSS before MB | RSS growth MB | heap | cores | ' +
      'load |\n' +
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | ' +
      '--- | --- |\n' +
      `${rows.join('\n')}\n`,
  );
}

async function main() {
  const dataDir = testTempDir('pagewire-bench-db');
  const database = await resolveDatabaseServer({
    ...(process.env.MONGODB_URI ? { mongodbUri: process.env.MONGODB_URI } : {}),
    dataDir,
    toolsRoot: root,
  });
  const results: Result[] = [];
  try {
    for (const scenario of scenarios.filter((s) => chosen.includes(s.name))) {
      results.push(await runScenario(database, dataDir, scenario));
    }
  } finally {
    if (results.length > 0) report(database, results);
    await database.stop();
  }
}

runToExit(main);
