import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { findOnPath, spawnTiedToThisProcess } from './database/child-server';
import { findFreePort } from './database/free-port';

export interface RedisServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `redis-server` from PATH on a free loopback port, for a cluster started on one machine and for the tests: nothing
 * is saved (what Pagewire keeps in Redis is rebuilt as processes and agents come back), its log goes to `logDir`.
 */
export async function startRedisServer({ logDir }: { logDir: string }): Promise<RedisServer> {
  const command = findOnPath('redis-server');
  if (!command)
    throw new Error(
      'redis-server is not on PATH (Debian: apt-get install redis-server), nor is REDIS_URL set',
    );
  mkdirSync(logDir, { recursive: true });
  const port = await findFreePort();
  const child = spawnTiedToThisProcess(
    command,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    openSync(path.join(logDir, 'redis.log'), 'a'),
  );
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited at start; see ${logDir}/redis.log`);
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    const answered = await probe
      .connect()
      .then(() => probe.ping())
      .then(() => true)
      .catch(() => false);
    probe.disconnect();
    if (answered) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer within 10 s; see ${logDir}/redis.log`);
    }
    await sleep(100);
  }
  return {
    url,
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
