import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger';
import { findOnPath, startChildServer } from './child-server';
import { redactUri, waitForPing } from './wait-for-ping';

export interface DatabaseServer {
  kind: 'uri' | 'mongod' | 'ferretdb' | 'memory-server';
  /** Connection string without a database name; callers choose the database. */
  uri: string;
  stop(): Promise<void>;
}

export interface ResolveOptions {
  mongodbUri?: string;
  /** Where a started server keeps its files (`./data/db` for `npm start`, a temp dir for tests). */
  dataDir: string;
  /** Repository root, where `npm run setup` puts `.tools/bin/ferretdb`. */
  toolsRoot: string;
  logger?: Logger;
}

export const ferretdbPath = (toolsRoot: string) => path.join(toolsRoot, '.tools', 'bin', 'ferretdb');

/**
 * The one place that decides which database Pagewire uses, in this order: MONGODB_URI; a `mongod` on PATH; the
 * FerretDB built by `npm run setup`; mongodb-memory-server. It stops only what it started.
 */
export async function resolveDatabaseServer(options: ResolveOptions): Promise<DatabaseServer> {
  const server = await startDatabaseServer(options);
  options.logger?.info({ database: server.kind, uri: redactUri(server.uri) }, 'database ready');
  return server;
}

async function startDatabaseServer({
  mongodbUri,
  dataDir,
  toolsRoot,
}: ResolveOptions): Promise<DatabaseServer> {
  if (mongodbUri) {
    await waitForPing(mongodbUri);
    return { kind: 'uri', uri: mongodbUri, stop: async () => undefined };
  }
  const mongod = findOnPath('mongod');
  if (mongod) {
    const dir = path.join(dataDir, 'mongod');
    return startChildServer({
      kind: 'mongod',
      command: mongod,
      dataDir: dir,
      args: (port) => ['--dbpath', dir, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet'],
    });
  }
  const ferretdb = ferretdbPath(toolsRoot);
  if (existsSync(ferretdb)) {
    const dir = path.join(dataDir, 'ferretdb');
    return startChildServer({
      kind: 'ferretdb',
      command: ferretdb,
      dataDir: dir,
      args: (port) => [
        '--handler=sqlite',
        // A commit is written to SQLite's log without waiting for the disk (WAL with synchronous NORMAL): a crash of
        // the app or the database loses nothing, a power cut may lose the last moments, as with MongoDB's default
        // write concern (journal flushed every 100 ms). A write then takes a third of the time it takes with FULL,
        // which waits for an fsync at every commit (updateOne p50 1.1-1.5 ms against 2.9-3.5 ms here).
        `--sqlite-url=file:${path.resolve(dir)}/?_pragma=synchronous(normal)`,
        `--state-dir=${path.resolve(dir)}`,
        '--debug-addr=-',
        '--telemetry=disable',
        '--log-level=warn',
        `--listen-addr=127.0.0.1:${port}`,
      ],
      // Go's collector ran a cycle each time the small live heap doubled: 6-8 % of FerretDB's CPU on the live path,
      // a quarter in a broadcast's fan-out. Growing fivefold between cycles, and sooner near 256 MiB, took a sixth to
      // a quarter off its CPU for the same work (BENCHMARKS.md, "2026-12-04, later").
      defaultEnv: { GOGC: '400', GOMEMLIMIT: '256MiB' },
    });
  }
  return startMemoryServer(path.join(dataDir, 'memory-server'));
}

async function startMemoryServer(dbPath: string): Promise<DatabaseServer> {
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  const server = await MongoMemoryServer.create({
    instance: { dbPath, storageEngine: 'wiredTiger', ip: '127.0.0.1' },
  });
  return { kind: 'memory-server', uri: server.getUri(), stop: async () => void (await server.stop()) };
}
