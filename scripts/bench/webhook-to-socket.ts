/**
 * Webhook to agent socket: how long from a simulated person's message (the simulator's control call, which emits
 * the signed webhook POST) to the logged-in agent's `message:new`. Starts its own database, simulator and app.
 *
 *   npm run bench:latency            # 1,000 messages from 50 people, 8 in flight; appends to BENCHMARKS.md
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { resolveDatabaseServer } from '../../server/platform/database/database-server';
import { connectMongoose } from '../../server/platform/database/mongoose-connection';
import { startSimulator } from '../../simulator/index';
import { startTestApp } from '../../test/support/app-harness';
import { runToExit } from '../run-to-exit';

const total = Number(process.env.BENCH_MESSAGES ?? 1000);
const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 8);
const people = Array.from({ length: 50 }, (_, i) => ({
  id: `b${i}`,
  firstName: `Bench${i}`,
  lastName: 'Person',
}));

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function main() {
  const root = path.resolve(__dirname, '../..');
  const database = await resolveDatabaseServer({
    ...(process.env.MONGODB_URI ? { mongodbUri: process.env.MONGODB_URI } : {}),
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'pagewire-bench-db-')),
    toolsRoot: root,
  });
  await connectMongoose(database.uri, `pw_bench_${randomBytes(4).toString('hex')}`);
  const simulator = await startSimulator({
    seed: {
      users: [{ id: '1001', name: 'Alice Admin', email: 'alice@example.com' }],
      pages: [{ id: '2001', name: 'Bench Page', adminUserIds: ['1001'] }],
      people,
    },
  });
  const app = await startTestApp({ simulator });
  await simulator.control.setWebhook({ callbackUrl: `${app.url}/webhooks/facebook` });
  const alice = await app.login('1001');
  await alice.agent
    .post('/api/pages')
    .set(alice.csrf)
    .send({ fbPageIds: ['2001'] });
  const socket = await app.socketFor(alice);

  const waiting = new Map<string, (at: number) => void>();
  socket.on('message:new', (event) => waiting.get(event.message.text ?? '')?.(performance.now()));
  const latencies: number[] = [];
  let next = 0;
  async function worker() {
    while (next < total) {
      const n = next++;
      const text = `bench message ${n}`;
      const received = new Promise<number>((resolve) => waiting.set(text, resolve));
      const started = performance.now();
      await simulator.control.sendText(people[n % people.length]?.id ?? 'b0', '2001', text);
      latencies.push((await received) - started);
      waiting.delete(text);
    }
  }
  const began = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = (performance.now() - began) / 1000;

  const sorted = [...latencies].sort((a, b) => a - b);
  const median = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  const line =
    `| ${new Date().toISOString().slice(0, 10)} | ${database.kind} | ${total} | ${inFlight} | ` +
    `${median.toFixed(1)} | ${p99.toFixed(1)} | ${(total / seconds).toFixed(0)} | ${os.cpus().length} |`;
  process.stdout.write(
    `webhook -> agent socket over ${total} messages: median ${median.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms\n`,
  );

  const file = path.join(root, 'BENCHMARKS.md');
  const header = existsSync(file) ? '' : '# Benchmarks\n';
  appendFileSync(
    file,
    `${header}\n## Webhook to agent socket\n\n` +
      'From the simulator control call that emits the signed webhook POST to the agent’s `message:new` ' +
      '(`npm run bench:latency`), on one machine.\n\n' +
      '| date | database | messages | in flight | median ms | p99 ms | messages/s | cores |\n' +
      '| --- | --- | --- | --- | --- | --- | --- | --- |\n' +
      `${line}\n`,
  );

  await app.stop();
  await simulator.stop();
  await mongoose.connection.dropDatabase();
  await mongoose.disconnect();
  await database.stop();
}

runToExit(main);
