/**
 * The other OS process of the Agenda tests (agenda.test.ts): a job runner named AGENDA_RUNNER on AGENDA_URI /
 * AGENDA_DB whose handler for AGENDA_JOB (lock lifetime AGENDA_LOCK_LIFETIME_MS, 10 s unless set) records every run in
 * the collection AGENDA_RUNS and then works AGENDA_WORK_MS. Says `ready` once connected, starts on `go`, and when its
 * stdin closes stops (draining its jobs) and closes its connection; it then ends by itself, as a process does once
 * nothing is left to wait for.
 */
import { MongoClient } from 'mongodb';
import { createInterface } from 'node:readline';
import { createJobRunner } from '../../server/jobs/agenda';
import { JobRegistry, type JobDefinition } from '../../server/jobs/job-registry';
import { createLogger } from '../../server/platform/logger';

async function main(): Promise<void> {
  const env = (name: string) => process.env[name] ?? '';
  const runnerName = env('AGENDA_RUNNER');
  const jobName = env('AGENDA_JOB') as JobDefinition['name'];
  const workMs = Number(env('AGENDA_WORK_MS'));
  const client = await MongoClient.connect(env('AGENDA_URI'));
  const db = client.db(env('AGENDA_DB'));
  const registry = new JobRegistry().add<{ key: string }>({
    name: jobName,
    lockLifetimeMs: Number(env('AGENDA_LOCK_LIFETIME_MS') || 10_000),
    async handle(data) {
      await db
        .collection(env('AGENDA_RUNS'))
        .insertOne({ job: jobName, key: data.key, runner: runnerName, at: new Date() });
      await new Promise((resolve) => setTimeout(resolve, workMs));
    },
  });
  const logger = createLogger({ level: 'warn', destination: process.stderr });
  const runner = createJobRunner({ db, registry, logger, name: runnerName, processEveryMs: 200 });
  try {
    await db.command({ ping: 1 });
    process.stdout.write('ready\n');
    for await (const line of createInterface({ input: process.stdin })) {
      if (line === 'go') await runner.start();
    }
    await runner.stop(5_000);
  } finally {
    await client.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
