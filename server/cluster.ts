import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import path from 'node:path';
import { loadConfigOrExit } from './config';
import { aggregateClusterMetrics } from './platform/cluster-metrics';
import { resolveDatabaseServer } from './platform/database/database-server';
import { createLogger } from './platform/logger';
import { serverNodeFlags } from './platform/process-flags';
import { startRedisServer } from './platform/redis-server';

/**
 * `npm run start:cluster`: several Pagewire processes behind one port on one machine, sharing one database and one
 * Redis. node:cluster hands each new connection to the next process; the dashboard's socket is a WebSocket from the
 * start, so no connection needs to come back to the process that began it. SIGHUP restarts the processes one after
 * another (each replacement answers before its predecessor is stopped); SIGTERM stops them all, then the database
 * and Redis this script started. A scrape of /metrics, whichever process takes it, answers every serving process's
 * metrics combined (platform/cluster-metrics.ts).
 */
const fromSource = __filename.endsWith('.ts');
const repositoryRoot = path.resolve(__dirname, fromSource ? '..' : '../..');
/** A process that exits on its own is replaced; this many exits within a minute mean something is wrong. */
const maxUnplannedExitsPerMinute = 5;

async function main(): Promise<void> {
  // In development this also writes the generated secrets every process will then read (DATA_DIR/dev-secrets.json).
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.LOG_LEVEL }).child({ component: 'cluster' });
  const count = config.CLUSTER_PROCESSES ?? os.availableParallelism();
  const database = await resolveDatabaseServer({
    ...(config.MONGODB_URI ? { mongodbUri: config.MONGODB_URI } : {}),
    dataDir: path.join(config.DATA_DIR, 'db'),
    toolsRoot: repositoryRoot,
    logger,
  });
  const redis = config.REDIS_URL
    ? undefined
    : await startRedisServer({ logDir: path.join(config.DATA_DIR, 'redis') });
  const workerEnv: NodeJS.ProcessEnv = {
    ...process.env,
    MONGODB_URI: config.MONGODB_URI ?? `${database.uri.replace(/\/$/, '')}/${config.databaseName}`,
    REDIS_URL: config.REDIS_URL ?? redis?.url,
  };
  cluster.setupPrimary({
    exec: path.join(__dirname, fromSource ? 'main.ts' : 'main.js'),
    execArgv: [...serverNodeFlags(process.env), ...(fromSource ? ['--import', 'tsx'] : [])],
  });

  const planned = new Set<Worker>();
  const unplannedExits: number[] = [];
  let stopping = false;
  // Those that listen on the port, until they exit: whose metrics a scrape combines.
  const serving = new Set<Worker>();
  aggregateClusterMetrics(() => [...serving]);

  function start(): Promise<Worker> {
    const worker = cluster.fork(workerEnv);
    worker.once('listening', () => serving.add(worker));
    worker.on('exit', (code, signal) => {
      serving.delete(worker);
      if (planned.delete(worker) || stopping) return;
      logger.error({ pid: worker.process.pid, code, signal }, 'a Pagewire process exited; starting another');
      const now = Date.now();
      unplannedExits.push(now);
      while ((unplannedExits[0] ?? now) < now - 60_000) unplannedExits.shift();
      if (unplannedExits.length > maxUnplannedExitsPerMinute) {
        logger.fatal('Pagewire processes keep exiting; stopping the cluster');
        void stop(1);
        return;
      }
      void start();
    });
    return new Promise((resolve) => worker.once('listening', () => resolve(worker)));
  }

  function stopWorker(worker: Worker): Promise<void> {
    planned.add(worker);
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.process.kill('SIGTERM');
    return exited;
  }

  async function restartOneByOne(): Promise<void> {
    const current = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => !!worker);
    logger.info({ processes: current.length }, 'rolling restart');
    for (const worker of current) {
      if (stopping) return;
      const replacement = await start();
      await stopWorker(worker);
      logger.info({ stopped: worker.process.pid, started: replacement.process.pid }, 'process replaced');
    }
    logger.info('rolling restart done');
  }

  async function stop(exitCode: number): Promise<void> {
    if (stopping) return;
    stopping = true;
    logger.info('stopping the cluster');
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => !!worker);
    await Promise.all(workers.map(stopWorker));
    await redis?.stop();
    await database.stop();
    process.exit(exitCode);
  }

  let restarting: Promise<void> | undefined;
  process.on('SIGHUP', () => {
    restarting ??= restartOneByOne()
      .catch((error: unknown) => logger.error({ err: error }, 'rolling restart failed'))
      .finally(() => (restarting = undefined));
  });
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));

  await Promise.all(Array.from({ length: count }, start));
  logger.info(
    {
      processes: count,
      port: config.PORT,
      pid: process.pid,
      database: database.kind,
      redis: workerEnv.REDIS_URL,
    },
    `Pagewire cluster serving on ${config.publicUrl} (kill -HUP ${process.pid} restarts its processes one by one)`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
