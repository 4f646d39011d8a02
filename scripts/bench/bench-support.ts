/** What the webhook benchmarks share: figures, the BENCHMARKS.md section, signed bodies, the lived-in workspace. */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MembershipModel } from '../../models/membership';
import { UserModel } from '../../models/user';
import { newMid } from '../../simulator/ids';
import type { Simulator } from '../../simulator/index';
import { envelope, serialise, type WebhookEntry } from '../../simulator/webhook-sender/envelope';
import { sign } from '../../simulator/webhook-sender/signer';
import { findFreePort } from '../../server/platform/database/free-port';
import { deploymentEnvironment, startPagewireProcess } from '../../test/support/pagewire-process';
import { seedLivedInDatabase, type LivedInDatabase } from './lived-in';

export const root = path.resolve(__dirname, '../..');

/** The nearest-rank percentile of ascending values. */
export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

export const ms = (value: number) => value.toFixed(1);

/** `BENCH_SCENARIOS=a,b` picks scenarios by name; `all` runs every one. */
export function chosenScenarios<T extends { name: string }>(scenarios: T[], byDefault: string[]): T[] {
  const asked = (process.env.BENCH_SCENARIOS ?? byDefault.join(',')).split(',').map((name) => name.trim());
  const unknown = asked.filter((name) => name !== 'all' && !scenarios.some((s) => s.name === name));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}`);
  return asked.includes('all') ? scenarios : scenarios.filter((s) => asked.includes(s.name));
}

/** The lived-in database's size: `BENCH_LIVED_IN_SCALE=0.01` for a quick look (scale 1 is the issue's). */
export const livedInScale = Number(process.env.BENCH_LIVED_IN_SCALE ?? 1);

/**
 * Node flags for the app's process beyond the server's own (`server/platform/process-flags.ts`), from
 * BENCH_APP_NODE_FLAGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it.
 */
export const appNodeFlags = () => process.env.BENCH_APP_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];

let compiled = false;

/**
 * Pagewire in its own process for a benchmark, on a free port, with `env` over the deployment's variables, run as
 * `npm start` runs it: compiled (`npm run build`, incremental) from `dist/`, not through tsx, whose loader costs the
 * app memory and collections a benchmark would count against it. `cluster` starts `server/cluster` instead of
 * `server/main`. `BENCH_APP_NODE_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/prof'` profiles it in every benchmark.
 */
export async function startBenchApp(
  deployment: { databaseUri: string; databaseName: string; simulator: Simulator },
  env: NodeJS.ProcessEnv = {},
  { cluster = false }: { cluster?: boolean } = {},
) {
  if (!compiled) execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  compiled = true;
  return startPagewireProcess(
    {
      ...deploymentEnvironment({ ...deployment, port: await findFreePort() }),
      NODE_ENV: 'development',
      ...env,
    },
    { nodeFlags: appNodeFlags(), entry: `dist/server/${cluster ? 'cluster' : 'main'}.js` },
  );
}

/** The machine's state beside a figure: it is shared, and a loaded machine's figures are not final. */
export const machine = () => `${os.cpus().length} cores, load ${os.loadavg()[0]?.toFixed(1)}`;

/**
 * Appends a section (heading, a paragraph, a table) to BENCHMARKS.md, or only prints it with `BENCH_APPEND=0`
 * (while developing). The rows are printed either way.
 */
export function reportSection(title: string, intro: string, header: string[], rows: string[][]): void {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const table = [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
  process.stdout.write(`\n${table}\n`);
  if (process.env.BENCH_APPEND === '0') return;
  const file = path.join(root, 'BENCHMARKS.md');
  const heading = existsSync(file) ? '' : '# Benchmarks\n';
  appendFileSync(file, `${heading}\n## ${title}\n\n${intro}\n\n${table}\n`);
}

/** A webhook POST as Meta sends it: the envelope serialised Meta's way and signed with the app secret. */
export function signedBody(appSecret: string, entries: WebhookEntry[]) {
  const body = serialise(envelope(entries));
  return { body, headers: { 'content-type': 'application/json', ...sign(body, appSecret) } };
}

/** One person's text message to a Page, as a messaging item. */
export const messageItem = (pageId: string, psid: string, mid: string, text: string, timestamp: number) => ({
  sender: { id: psid },
  recipient: { id: pageId },
  timestamp,
  message: { mid, text },
});

/** A webhook POST carrying one new text message from `psid` to the Page, sent now, signed as Meta signs it. */
export function signedMessage(appSecret: string, pageId: string, psid: string, text: string) {
  const now = Date.now();
  return signedBody(appSecret, [
    { id: pageId, time: now, messaging: [messageItem(pageId, psid, newMid(), text, now)] },
  ]);
}

/**
 * Opens each person's thread with the Page in the simulator (so Pagewire's profile lookups find them), before any
 * webhook is set up: the simulator delivers none of these messages. Answers the PSIDs.
 */
export async function openThreads(simulator: Simulator, pageId: string, people: string[]): Promise<string[]> {
  const psids: string[] = [];
  for (const person of people) psids.push((await simulator.control.sendText(person, pageId, 'hi')).psid);
  return psids;
}

/** The Page's webhook subscription at the simulator must be a real Page's: echoes included. */
export async function assertSubscribedLikeARealPage(simulator: Simulator, pageId: string): Promise<void> {
  const { subscribedFields } = await simulator.control.page(pageId);
  for (const field of ['messages', 'message_echoes', 'message_deliveries', 'message_reads']) {
    if (!subscribedFields?.includes(field)) {
      throw new Error(`Page ${pageId} is not subscribed to ${field}: ${JSON.stringify(subscribedFields)}`);
    }
  }
}

/**
 * Seeds the lived-in database (lived-in.ts) into the workspace of the user who logged in, so their agent sees the
 * other Pages and their conversations too.
 */
export async function seedLivedInWorkspaceOf(facebookUserId: string): Promise<LivedInDatabase> {
  const user = await UserModel.findOne({ facebookUserId }).orFail().lean();
  const membership = await MembershipModel.findOne({ user: user._id }).orFail().lean();
  process.stdout.write(`seeding the lived-in database at scale ${livedInScale}\n`);
  const seeded = await seedLivedInDatabase({
    scale: livedInScale,
    workspace: { id: membership.workspace, ownerId: user._id },
    onProgress: (line) => process.stdout.write(`${line}\n`),
  });
  return seeded;
}

/** The row's description of the database's contents. */
export const contentsOf = (seeded: LivedInDatabase | null) =>
  seeded
    ? `lived-in: ${seeded.counts.subscribers.toLocaleString('en')} subscribers, ` +
      `${seeded.counts.messages.toLocaleString('en')} messages, ` +
      `${seeded.counts.processedEvents.toLocaleString('en')} processed events (seeded in ${seeded.seconds.toFixed(0)} s)`
    : 'plain';

/** CPU time (user + system) a process has used so far, in seconds. */
export function cpuSecondsOf(pid: number): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}
/** A process's children, from /proc (e.g. the app processes of `server/cluster.ts`). */
export function childPids(pid: number): number[] {
  const file = `/proc/${pid}/task/${pid}/children`;
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split(' ').filter(Boolean).map(Number);
}

/** The CPU seconds of a process and all its descendants (a cluster: its primary and every app process). */
export function cpuSecondsOfTree(pid: number): number {
  return cpuSecondsOf(pid) + childPids(pid).reduce((sum, child) => sum + cpuSecondsOfTree(child), 0);
}

/** USER_HZ: 100 on every Linux this runs on (`getconf CLK_TCK`). */
const ticksPerSecond = 100;

/** The database process the benchmark started, from the pid file its data directory keeps; none for MONGODB_URI. */
export function databasePid(dataDir: string): number | undefined {
  const pidFile = path.join(dataDir, 'ferretdb', 'server.pid');
  return existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : undefined;
}
