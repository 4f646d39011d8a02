import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'mongoose';
import { createApp } from './app';
import type { Config } from './config';
import { createJobRunner, type JobRunner } from './jobs/agenda';
import { JobRegistry } from './jobs/job-registry';
import type { Clock } from './platform/clock';
import { isDatabaseReachable } from './platform/database/mongoose-connection';
import type { Logger } from './platform/logger';

export interface RunningServer {
  url: string;
  httpServer: Server;
  jobs: JobRunner;
  /** Stops accepting, finishes in-flight requests, drains Agenda; leaves the database connection to its owner. */
  stop(): Promise<void>;
}

export interface ServerDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  db: Connection;
}

/** Composes the whole product on an open database connection: HTTP, Agenda and (later) socket.io. */
export async function startServer({ config, logger, clock, db }: ServerDeps): Promise<RunningServer> {
  const mongoDb = db.db;
  if (!mongoDb) throw new Error('startServer needs an open database connection');

  const registry = new JobRegistry();
  const jobs = createJobRunner({ db: mongoDb, registry, logger: logger.child({ component: 'jobs' }) });

  const app = createApp({
    config,
    logger,
    clock,
    health: { isDatabaseReachable: () => isDatabaseReachable(), isJobRunnerRunning: () => jobs.isRunning() },
  });
  const httpServer = createServer(app);
  await jobs.start();
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.HOST, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    httpServer,
    jobs,
    async stop() {
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      await closed;
      await jobs.stop();
    },
  };
}
