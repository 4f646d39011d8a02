import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveDatabaseServer, type DatabaseServer } from '../../server/platform/database/database-server';
import { startRedisServer, type RedisServer } from '../../server/platform/redis-server';
import { runTempDirVariable } from './temp-dir';

declare global {
  var pagewireTestDatabase: { server: DatabaseServer; dataDir: string } | undefined;
  var pagewireTestRedis: RedisServer | undefined;
}

/** Starts one database server for the whole run; each test file then uses its own fresh database on it. */
export default async function globalSetup(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pagewire-test-db-'));
  const server = await resolveDatabaseServer({
    ...(process.env.MONGODB_URI ? { mongodbUri: process.env.MONGODB_URI } : {}),
    dataDir,
    toolsRoot: path.resolve(__dirname, '../..'),
  });
  globalThis.pagewireTestDatabase = { server, dataDir };
  // Every test's own files go in here (test/support/temp-dir.ts), so the teardown's removal takes them too.
  const testsDir = path.join(dataDir, 'tests');
  mkdirSync(testsDir);
  process.env[runTempDirVariable] = testsDir;
  process.env.PAGEWIRE_TEST_DATABASE_URI = server.uri;
  process.env.PAGEWIRE_TEST_DATABASE_KIND = server.kind;
  // The scale-out tests share one Redis between processes: REDIS_URL's, else a redis-server of the run's own.
  // Without either, only those tests fail, each saying why (test/support/redis.ts).
  if (!process.env.REDIS_URL) {
    globalThis.pagewireTestRedis = await startRedisServer({ logDir: dataDir }).catch((error: Error) => {
      process.env.PAGEWIRE_TEST_REDIS_MISSING = error.message;
      return undefined;
    });
  }
  const redisUrl = process.env.REDIS_URL ?? globalThis.pagewireTestRedis?.url;
  if (redisUrl) process.env.PAGEWIRE_TEST_REDIS_URL = redisUrl;
  process.stdout.write(`\ntests run on database: ${server.kind}\n`);
}
