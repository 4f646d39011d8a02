import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda, InMemoryNotificationChannel, type Job } from 'agenda';
import { ObjectId, type Db } from 'mongodb';
import type { Logger } from '../platform/logger';
import { countJobRun } from '../platform/metrics';
import type { JobRegistry } from './job-registry';

export interface JobRunner {
  agenda: Agenda;
  isRunning(): boolean;
  start(): Promise<void>;
  /**
   * Takes no more jobs, interrupts the running ones and waits for them up to `drainTimeoutMs`; whatever still runs
   * then is handed back, due now, so another worker takes it at once instead of after its lock lifetime.
   */
  stop(drainTimeoutMs?: number): Promise<void>;
}

export interface JobRunnerOptions {
  db: Db;
  registry: JobRegistry;
  logger: Logger;
  /** Identifies this process in each job's `lastModifiedBy`. */
  name?: string;
  processEveryMs?: number;
}

export const jobsCollection = 'agendaJobs';

export function createJobRunner({
  db,
  registry,
  logger,
  name,
  processEveryMs = 2_000,
}: JobRunnerOptions): JobRunner {
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: db, collection: jobsCollection, ...(name ? { name } : {}) }),
    // A job this process saves to run now (a broadcast's "send now", its Pages' senders) starts at once instead of at
    // the next scan. The scan, one findAndModify per job name, then only finds what other processes saved, what
    // comes due later (it locks those ahead and starts them on time) and what a dead worker left locked.
    notificationChannel: new InMemoryNotificationChannel(),
    processEvery: processEveryMs,
    // Each scan reads every document of a job name (FerretDB serves the name from the index, not the rest of the
    // query), under the database's write lock: at 2,000 finished broadcast jobs one scan took 150 ms, every 2 s. What
    // a one-time job did is recorded by its feature (the broadcast, the delivery, the request), so its document goes
    // once it succeeds; a failed one stays for a week (`purgeFinishedJobsJob`).
    removeOnComplete: true,
    maxConcurrency: 50,
    defaultConcurrency: 5,
  });
  // Until Agenda has saved the job's end (its `complete` event), not only until the handler returns: a process that
  // disconnected in between would leave the job locked.
  const runningJobs = new Map<string, { job: Job; completed: Promise<void>; complete(): void }>();
  agenda.on('complete', (job: Job) => {
    const id = String(job.attrs._id);
    runningJobs.get(id)?.complete();
    runningJobs.delete(id);
  });
  for (const definition of registry.all()) {
    const handle = (job: Job) => {
      let complete = () => {};
      const completed = new Promise<void>((resolve) => (complete = resolve));
      runningJobs.set(String(job.attrs._id), { job, completed, complete });
      countJobRun(definition.name, 'started');
      return definition.handle(job.attrs.data, job);
    };
    agenda.define(definition.name, handle, {
      lockLifetime: definition.lockLifetimeMs,
      concurrency: definition.concurrency ?? 5,
    });
  }
  agenda.on('error', (error) => logger.error({ err: error }, 'agenda error'));
  agenda.on('fail', (error: unknown, job: { attrs?: { name?: string } }) => {
    countJobRun(job.attrs?.name ?? 'unknown', 'failed');
    logger.warn({ err: error, job: job.attrs?.name }, 'job failed');
  });

  let running = false;
  return {
    agenda,
    isRunning: () => running,
    async start() {
      await agenda.start();
      running = true;
    },
    async stop(drainTimeoutMs = 10_000) {
      if (!running) return;
      running = false;
      // Agenda's drain would leave the jobs it locked ahead of their time locked, and its stop after a drain does
      // nothing; stop first (it unlocks those) and wait for the running handlers here.
      const processor = queueFillingOf(agenda);
      await agenda.stop(false);
      if (processor) await settleQueueFilling(db, processor);
      for (const definition of registry.all()) definition.interrupt?.();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all([...runningJobs.values()].map((running) => running.completed)),
        new Promise((resolve) => (timer = setTimeout(resolve, drainTimeoutMs))),
      ]);
      clearTimeout(timer);
      const left = [...runningJobs.values()].map((running) => running.job);
      if (left.length > 0) await handBack(db, left, logger);
    },
  };
}

/** The part of Agenda's (private) job processor that its stop() does not wait for. */
interface QueueFilling {
  isJobQueueFilling: Map<string, boolean>;
  lockedJobs: Job[];
  runningJobs: Job[];
}

const queueFillingOf = (agenda: Agenda) =>
  (agenda as unknown as { jobProcessor?: QueueFilling }).jobProcessor;

/**
 * Agenda's stop() returns while a scan for due jobs may still be in flight: its queries then fail on the closing
 * connection (logged as errors), and a job it locks after the stop stays locked for its whole lock lifetime. Wait for
 * the scan (bounded), then unlock what it locked and nobody runs.
 */
async function settleQueueFilling(db: Db, processor: QueueFilling, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (processor.isJobQueueFilling.size > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const running = new Set(processor.runningJobs.map((job) => String(job.attrs._id)));
  const ids = processor.lockedJobs
    .filter((job) => !running.has(String(job.attrs._id)))
    .flatMap((job) => (job.attrs._id ? [new ObjectId(job.attrs._id.toString())] : []));
  if (ids.length > 0)
    await db.collection(jobsCollection).updateMany({ _id: { $in: ids } }, { $unset: { lockedAt: '' } });
}

/**
 * A running job keeps its lock until it ends, and a one-time job's `nextRunAt` is cleared while it runs: unlocked as
 * it is, nobody would ever run it again. Due now and unlocked, the next worker's scan takes it.
 */
async function handBack(db: Db, jobs: Job[], logger: Logger): Promise<void> {
  const ids = jobs.flatMap((job) => (job.attrs._id ? [new ObjectId(job.attrs._id.toString())] : []));
  logger.warn({ jobs: jobs.map((job) => job.attrs.name) }, 'jobs still running at shutdown are handed back');
  const collection = db.collection(jobsCollection);
  await collection.updateMany({ _id: { $in: ids }, nextRunAt: null }, { $set: { nextRunAt: new Date() } });
  await collection.updateMany({ _id: { $in: ids } }, { $unset: { lockedAt: '' } });
}
