import mongoose, { Schema } from 'mongoose';
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { createJobRunner, type JobRunner } from '../../server/jobs/agenda';
import { JobRegistry, type JobDefinition } from '../../server/jobs/job-registry';
import { purgeFinishedJobsJob } from '../../server/jobs/purge-finished-jobs-job';
import { systemClock } from '../../server/platform/clock';
import { createLogger } from '../../server/platform/logger';
import { testDatabaseUri, useTestDatabase } from '../support/database';
import { spawnOtherProcess } from './other-process';

// Every handler run leaves one row here, so "ran twice" is visible as a second row, not inferred from events.
const jobRunSchema = new Schema({
  job: { type: String, required: true },
  key: { type: String, required: true },
  runner: { type: String, required: true },
  at: { type: Date, required: true },
});
const JobRun = mongoose.model('DbTestJobRun', jobRunSchema);

// The effect of a job, keyed by the job's own key: the shape that keeps a job's effect exactly-once even where the
// lock is not (FERRETDB-NOTES.md).
const jobEffectSchema = new Schema({ _id: String, runner: String });
const JobEffect = mongoose.model('DbTestJobEffect', jobEffectSchema);

const logger = createLogger({ level: 'silent' });
const runners: JobRunner[] = [];
const otherProcesses: { kill(): void }[] = [];

function db(): Db {
  const database = mongoose.connection.db;
  if (!database) throw new Error('not connected');
  return database;
}

function recordingJob(
  name: JobDefinition['name'],
  runner: string,
  options: { lockLifetimeMs?: number; workMs?: number } = {},
): JobDefinition<{ key: string }> {
  return {
    name,
    lockLifetimeMs: options.lockLifetimeMs ?? 10_000,
    async handle(data) {
      await JobRun.create({ job: name, key: data.key, runner, at: new Date() });
      if (options.workMs) await new Promise((resolve) => setTimeout(resolve, options.workMs));
    },
  };
}

function startedRunner(name: string, ...definitions: JobDefinition<{ key: string }>[]): JobRunner {
  const registry = new JobRegistry();
  for (const definition of definitions) registry.add(definition);
  const runner = createJobRunner({ db: db(), registry, logger, name, processEveryMs: 200 });
  runners.push(runner);
  return runner;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Unref'd: a wait that lost a race (a job released early, a process that ended in time) must not outlive the file.
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

describe('Agenda on the test database', () => {
  // Declared before useTestDatabase so the runners stop while the database is still connected.
  afterAll(async () => {
    for (const other of otherProcesses) other.kill();
    await Promise.all(runners.map((runner) => runner.stop(1_000)));
  });
  const database = useTestDatabase();

  it('starts a job this process saves to run now at once, not at its next scan', async () => {
    const registry = new JobRegistry();
    registry.add(recordingJob('test:now', 'notified'));
    const runner = createJobRunner({ db: db(), registry, logger, name: 'notified', processEveryMs: 60_000 });
    runners.push(runner);
    await runner.start();
    // The scan Agenda makes as it starts is over; the next is a minute away.
    await sleep(500);
    await runner.agenda.now('test:now', { key: 'now' });
    await waitFor(async () => (await JobRun.countDocuments({ job: 'test:now' })) > 0, 10_000);
  });

  it('removes a one-time job that succeeded and keeps one that failed, with its reason', async () => {
    const failing: JobDefinition<{ key: string }> = {
      name: 'test:fails',
      lockLifetimeMs: 10_000,
      async handle() {
        throw new Error('the handler failed');
      },
    };
    const runner = startedRunner('finishing', recordingJob('test:succeeds', 'finishing'), failing);
    await runner.start();
    await runner.agenda.now('test:succeeds', { key: 'ok' });
    await runner.agenda.now('test:fails', { key: 'ko' });
    const jobs = db().collection('agendaJobs');
    await waitFor(
      async () =>
        (await jobs.countDocuments({ name: 'test:succeeds' })) === 0 &&
        (await jobs.countDocuments({ name: 'test:fails', failReason: 'the handler failed' })) === 1,
      10_000,
    );
    expect(await JobRun.countDocuments({ job: 'test:succeeds' })).toBe(1);
    await runner.stop();
  });

  it('purges finished one-time jobs (a failed one after the kept time), and no recurring, running or waiting job', async () => {
    const jobs = db().collection('agendaJobs');
    const now = Date.now();
    const day = 24 * 3_600_000;
    const job = (name: string, fields: Record<string, unknown>) => ({
      name,
      priority: 0,
      type: 'normal',
      ...fields,
    });
    const ended = (ago: number) => ({ nextRunAt: null, lockedAt: null, lastFinishedAt: new Date(now - ago) });
    const failed = (ago: number) => ({ ...ended(ago), failedAt: new Date(now - ago), failReason: 'boom' });
    await jobs.insertMany([
      job('test:old-failure', failed(8 * day)),
      job('test:recent-failure', failed(day)),
      job('test:kept-by-an-older-build', ended(day)),
      job('test:recurring', { nextRunAt: new Date(now + day), lastFinishedAt: new Date(now - 8 * day) }),
      job('test:running', {
        nextRunAt: null,
        lockedAt: new Date(now),
        lastFinishedAt: new Date(now - 8 * day),
      }),
      job('test:never-ran', { nextRunAt: new Date(now) }),
    ]);
    await purgeFinishedJobsJob(db(), systemClock, 7 * day).handle(undefined, undefined as never);
    const left = await jobs.find({ name: /^test:(old|recent|kept|recurring|running|never)/ }).toArray();
    expect(left.map((kept) => kept.name).sort()).toEqual([
      'test:never-ran',
      'test:recent-failure',
      'test:recurring',
      'test:running',
    ]);
  });

  it('runs a job scheduled one second ahead once, and not before its time', async () => {
    const runner = startedRunner('single', recordingJob('test:scheduled', 'single'));
    await runner.start();
    const due = new Date(Date.now() + 1_000);
    await runner.agenda.schedule(due, 'test:scheduled', { key: 'ahead' });

    await waitFor(async () => (await JobRun.countDocuments({ job: 'test:scheduled' })) > 0, 5_000);
    await sleep(1_000);

    const runs = await JobRun.find({ job: 'test:scheduled' }).lean();
    expect(runs).toHaveLength(1);
    expect(runs[0]?.at.getTime()).toBeGreaterThanOrEqual(due.getTime());
    await runner.stop();
  });

  // Agenda locks each job with findOneAndUpdate; even one instance fills its slots with overlapping lock attempts.
  it('one Agenda instance runs each of 30 jobs exactly once', async () => {
    const runner = startedRunner('alone', recordingJob('test:batch', 'alone', { workMs: 20 }));
    for (let i = 0; i < 30; i += 1) await runner.agenda.now('test:batch', { key: `job-${i}` });

    await runner.start();
    await waitFor(async () => (await JobRun.countDocuments({ job: 'test:batch' })) >= 30, 20_000);
    await sleep(1_000);

    const runs = await JobRun.find({ job: 'test:batch' }).lean();
    expect(runs).toHaveLength(30);
    expect(new Set(runs.map((r) => r.key)).size).toBe(30);
    await runner.stop();
  });

  it('two Agenda instances whose handler records its effect under a unique key apply each effect once', async () => {
    const effectJob = (runner: string): JobDefinition<{ key: string }> => ({
      name: 'test:effect',
      lockLifetimeMs: 10_000,
      async handle(data) {
        await JobEffect.create({ _id: data.key, runner }).catch((error: { code?: number }) => {
          // A second run of the same job finds its effect already recorded: done, not failed.
          if (error.code !== 11000) throw error;
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
      },
    });
    const a = startedRunner('effect-a', effectJob('effect-a'));
    const b = startedRunner('effect-b', effectJob('effect-b'));
    for (let i = 0; i < 30; i += 1) await a.agenda.now('test:effect', { key: `effect-${i}` });

    await Promise.all([a.start(), b.start()]);
    await waitFor(async () => (await JobEffect.countDocuments()) >= 30, 20_000);
    await sleep(1_000);

    const effects = await JobEffect.find().lean();
    expect(effects.map((e) => e._id).sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => `effect-${i}`).sort(),
    );
    await Promise.all([a.stop(), b.stop()]);
  });

  // Agenda locks a job with findOneAndUpdate, so this holds only where that is atomic (FERRETDB-NOTES.md).
  it('two Agenda instances on one database never run the same job twice', async () => {
    const a = startedRunner('worker-a', recordingJob('test:fan-out', 'worker-a', { workMs: 50 }));
    const b = startedRunner('worker-b', recordingJob('test:fan-out', 'worker-b', { workMs: 50 }));
    for (let i = 0; i < 30; i += 1) await a.agenda.now('test:fan-out', { key: `job-${i}` });

    await Promise.all([a.start(), b.start()]);
    await waitFor(async () => (await JobRun.countDocuments({ job: 'test:fan-out' })) >= 30, 20_000);
    await sleep(1_000);

    const runs = await JobRun.find({ job: 'test:fan-out' }).lean();
    expect(runs).toHaveLength(30);
    expect(new Set(runs.map((r) => r.key)).size).toBe(30);
    expect(new Set(runs.map((r) => r.runner))).toEqual(new Set(['worker-a', 'worker-b']));
    await Promise.all([a.stop(), b.stop()]);
  });

  // Both processes start scanning the 30 due jobs at once, so their lock attempts overlap. Which process runs how
  // many is left open: a scan locks every due job it can, and a process that starts late may get none.
  it('two Agenda instances in two OS processes run each of 30 jobs exactly once', async () => {
    const here = startedRunner('process-a', recordingJob('test:two-processes', 'process-a', { workMs: 50 }));
    const other = spawnOtherProcess('agenda-worker.ts', {
      AGENDA_URI: testDatabaseUri(),
      AGENDA_DB: database.name,
      AGENDA_RUNNER: 'process-b',
      AGENDA_JOB: 'test:two-processes',
      AGENDA_WORK_MS: '50',
      AGENDA_RUNS: JobRun.collection.name,
    });
    otherProcesses.push(other);
    expect(await other.nextMessage()).toBe('ready');
    for (let i = 0; i < 30; i += 1) await here.agenda.now('test:two-processes', { key: `job-${i}` });

    other.send('go');
    await here.start();
    await waitFor(async () => (await JobRun.countDocuments({ job: 'test:two-processes' })) >= 30, 20_000);
    await sleep(1_000);
    other.end();
    await other.succeeded();

    const runs = await JobRun.find({ job: 'test:two-processes' }).lean();
    expect(runs).toHaveLength(30);
    expect(new Set(runs.map((r) => r.key)).size).toBe(30);
    await here.stop();
  });

  // Agenda 6.2.6 waits half a job's lock lifetime between its checks that the job is alive, and left that wait
  // running once the job had finished: here five minutes in which the process could not end (npm patch in
  // scripts/npm-patches).
  it('a process whose runner ran a job and stopped ends by itself: no wait of the job outlives it', async () => {
    const other = spawnOtherProcess('agenda-worker.ts', {
      AGENDA_URI: testDatabaseUri(),
      AGENDA_DB: database.name,
      AGENDA_RUNNER: 'ending',
      AGENDA_JOB: 'test:ends',
      AGENDA_WORK_MS: '0',
      AGENDA_LOCK_LIFETIME_MS: String(10 * 60_000),
      AGENDA_RUNS: JobRun.collection.name,
    });
    otherProcesses.push(other);
    expect(await other.nextMessage()).toBe('ready');
    other.send('go');
    const scheduler = startedRunner('scheduler', recordingJob('test:ends', 'scheduler'));
    await scheduler.agenda.now('test:ends', { key: 'once' });
    await waitFor(async () => (await JobRun.countDocuments({ job: 'test:ends' })) === 1, 20_000);

    other.end();
    const ended = await Promise.race([other.succeeded().then(() => true), sleep(20_000).then(() => false)]);
    expect(ended).toBe(true);
  });

  it('a job whose worker died is picked up by another worker once its lock expires', async () => {
    const lockLifetimeMs = 2_000;
    const survivor = startedRunner('survivor', recordingJob('test:orphaned', 'survivor', { lockLifetimeMs }));
    const job = await survivor.agenda.now('test:orphaned', { key: 'orphan' });
    // What a worker that locked the job and then died leaves behind: a lock nobody will release or renew.
    const lockedAt = new Date();
    await db()
      .collection('agendaJobs')
      .updateOne(
        { _id: new ObjectId(String(job.attrs._id)) },
        { $set: { lockedAt, lastModifiedBy: 'dead-worker' } },
      );

    await survivor.start();
    await waitFor(async () => (await JobRun.countDocuments({ job: 'test:orphaned' })) > 0, 8_000);
    await sleep(1_000);

    const runs = await JobRun.find({ job: 'test:orphaned' }).lean();
    expect(runs).toHaveLength(1);
    expect(runs[0]?.runner).toBe('survivor');
    expect(runs[0]?.at.getTime()).toBeGreaterThanOrEqual(lockedAt.getTime() + lockLifetimeMs);
    await survivor.stop();
  });

  it('stopping interrupts a running job that can stop; it ends as a success (its document goes) and nothing stays locked', async () => {
    let interrupted = false;
    const runner = startedRunner('interruptible', {
      name: 'test:interruptible',
      lockLifetimeMs: 600_000,
      async handle(data: { key: string }) {
        await JobRun.create({
          job: 'test:interruptible',
          key: data.key,
          runner: 'interruptible',
          at: new Date(),
        });
        // Bounded, so a runner that never interrupts fails the test instead of hanging it.
        for (const until = Date.now() + 15_000; !interrupted && Date.now() < until;) await sleep(20);
      },
      interrupt: () => (interrupted = true),
    });
    const job = await runner.agenda.now('test:interruptible', { key: 'long' });
    await runner.start();
    await waitFor(async () => (await JobRun.countDocuments({ job: 'test:interruptible' })) > 0, 5_000);

    const stoppedAt = Date.now();
    await runner.stop(10_000);
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    // Agenda removes a one-time job only once its successful end is saved, unlocked; a locked or failed one stays.
    const saved = () =>
      db()
        .collection('agendaJobs')
        .countDocuments({ _id: new ObjectId(String(job.attrs._id)) });
    await waitFor(async () => (await saved()) === 0, 5_000);
  });

  it('a job still running when the drain ends is handed back: the next worker runs it at once, not after its lock', async () => {
    let release = () => {};
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const first = startedRunner('stuck', {
      name: 'test:handed-back',
      lockLifetimeMs: 600_000,
      async handle(data: { key: string }) {
        await JobRun.create({ job: 'test:handed-back', key: data.key, runner: 'stuck', at: new Date() });
        await Promise.race([stuck, sleep(15_000)]);
      },
    });
    await first.agenda.now('test:handed-back', { key: 'stuck' });
    await first.start();
    await waitFor(async () => (await JobRun.countDocuments({ job: 'test:handed-back' })) > 0, 5_000);
    await first.stop(300);

    const next = startedRunner('next', recordingJob('test:handed-back', 'next', { lockLifetimeMs: 600_000 }));
    await next.start();
    await waitFor(
      async () => (await JobRun.countDocuments({ job: 'test:handed-back', runner: 'next' })) > 0,
      5_000,
    );
    release();
    await next.stop();
  });
});

describe('a job runner stopped while it scans for due jobs', () => {
  const database = useTestDatabase();

  it('logs no error when its connection closes right after, and leaves no job locked', async () => {
    const client = await MongoClient.connect(testDatabaseUri());
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (line: string) => lines.push(line) },
    });
    const registry = new JobRegistry();
    for (const name of ['test:scan-a', 'test:scan-b', 'test:scan-c'] as const) {
      registry.add({ name, lockLifetimeMs: 600_000, handle: async () => undefined });
    }
    const runner = createJobRunner({ db: client.db(database.name), registry, logger, name: 'scanning' });
    // Due jobs in the future of this runner's first scan: whatever that scan locks, the stop must let go.
    await runner.agenda.now('test:scan-a', {});
    await runner.agenda.now('test:scan-b', {});

    await runner.start(); // Agenda's first scan starts here and is still in flight when start() returns.
    await runner.stop(1_000);
    await client.close();
    await sleep(200);

    expect(lines.filter((line) => JSON.parse(line).level >= 50)).toEqual([]);
    const jobs = await db()
      .collection('agendaJobs')
      .find({ name: /^test:scan-/ })
      .toArray();
    expect(jobs.filter((job) => job.lockedAt && !job.lastFinishedAt)).toEqual([]);
  });
});
