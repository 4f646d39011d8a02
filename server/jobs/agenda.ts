import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda } from 'agenda';
import type { Db } from 'mongodb';
import type { Logger } from '../platform/logger';
import type { JobRegistry } from './job-registry';

export interface JobRunner {
  agenda: Agenda;
  isRunning(): boolean;
  start(): Promise<void>;
  /** Waits for running jobs up to `drainTimeoutMs`, then unlocks whatever is left so another worker takes it. */
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

export function createJobRunner({
  db,
  registry,
  logger,
  name,
  processEveryMs = 1_000,
}: JobRunnerOptions): JobRunner {
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: db, collection: 'agendaJobs', ...(name ? { name } : {}) }),
    processEvery: processEveryMs,
    maxConcurrency: 50,
    defaultConcurrency: 5,
  });
  for (const definition of registry.all()) {
    agenda.define(definition.name, (job) => definition.handle(job.attrs.data, job), {
      lockLifetime: definition.lockLifetimeMs,
      concurrency: definition.concurrency ?? 5,
    });
  }
  agenda.on('error', (error) => logger.error({ err: error }, 'agenda error'));
  agenda.on('fail', (error: unknown, job: { attrs?: { name?: string } }) =>
    logger.warn({ err: error, job: job.attrs?.name }, 'job failed'),
  );

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
      await agenda.drain({ timeout: drainTimeoutMs });
      await agenda.stop();
    },
  };
}
