import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { findFreePort } from '../../server/platform/database/free-port';
import { serverNodeFlags } from '../../server/platform/process-flags';
import type { Simulator } from '../../simulator/index';
import { simulatorVariables } from './config';
import { testTempDir } from './temp-dir';

const root = path.resolve(__dirname, '../..');

export interface PagewireProcess {
  url: string;
  /** The operating system's process id, e.g. to read its memory from /proc. */
  pid: number;
  /** What the process wrote to stdout and stderr, for failure messages. */
  output(): string;
  /** `kill -9`: no shutdown hook runs, nothing in flight is finished or released. */
  crash(): Promise<void>;
  /** SIGTERM and wait for the graceful shutdown; answers the exit code. */
  stop(): Promise<number | null>;
  /** Sends a signal and returns at once (e.g. SIGHUP to a cluster). */
  signal(name: NodeJS.Signals): void;
}

/** One deployment: the same port, database and secrets for every process started from it, as after a restart. */
export interface Deployment {
  port: number;
  databaseUri: string;
  databaseName: string;
  simulator: Simulator;
}

/** The environment of `server/main.ts` pointing at the simulator and the test database (see .env.example). */
export function deploymentEnvironment(deployment: Deployment): NodeJS.ProcessEnv {
  const url = `http://127.0.0.1:${deployment.port}`;
  const { simulator } = deployment;
  return {
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(deployment.port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    LOG_LEVEL: 'warn',
    DATA_DIR: testTempDir('pagewire-process'),
    MONGODB_URI: `${deployment.databaseUri.replace(/\/$/, '')}/${deployment.databaseName}`,
    SESSION_SECRET: randomBytes(24).toString('hex'),
    TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    FB_VERIFY_TOKEN: randomBytes(16).toString('hex'),
    ...simulatorVariables(simulator),
    GRAPH_TIMEOUT_MS: '60000',
  };
}

/**
 * The same deployment as several processes sharing the database, the secrets and a Redis (`keyPrefix` keeps test
 * files apart on one Redis); `processEnvironment` gives each process its own port, as behind a load balancer.
 */
export function sharedDeploymentEnvironment(
  deployment: Omit<Deployment, 'port'>,
  redis: { url: string; keyPrefix: string },
): NodeJS.ProcessEnv {
  return {
    ...deploymentEnvironment({ ...deployment, port: 0 }),
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.keyPrefix,
  };
}

export function processEnvironment(shared: NodeJS.ProcessEnv, port: number): NodeJS.ProcessEnv {
  return { ...shared, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` };
}

/** `count` processes of one deployment, each on its own free port (taken one after another, so never the same). */
export async function startDeploymentProcesses(shared: NodeJS.ProcessEnv, count: number) {
  const environments: NodeJS.ProcessEnv[] = [];
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await findFreePort());
  for (const port of ports) environments.push(processEnvironment(shared, port));
  return Promise.all(environments.map((env) => startPagewireProcess(env)));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Pagewire as production runs it, in its own process (`server/main.ts` through tsx's loader, in this very process
 * so a signal reaches the app itself, not a wrapper; or a compiled `.js` entry as it is). Resolves once `/readyz`
 * answers.
 */
export async function startPagewireProcess(
  env: NodeJS.ProcessEnv,
  { nodeFlags = [], entry = 'server/main.ts' }: { nodeFlags?: string[]; entry?: string } = {},
): Promise<PagewireProcess> {
  const url = `http://127.0.0.1:${env.PORT}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...serverNodeFlags(env),
      ...nodeFlags,
      ...(entry.endsWith('.ts') ? ['--import', 'tsx'] : []),
      path.join(root, entry),
    ],
    {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (hasExited) throw new Error(`Pagewire exited while starting:\n${output}`);
    const ready = await fetch(`${url}/readyz`).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Pagewire was not ready within 60 s:\n${output}`);
    }
    await sleep(100);
  }

  const signal = async (name: NodeJS.Signals) => {
    if (!hasExited) child.kill(name);
    return exited;
  };
  return {
    url,
    pid: child.pid ?? 0,
    output: () => output,
    crash: async () => void (await signal('SIGKILL')),
    stop: () => signal('SIGTERM'),
    signal: (name) => void (hasExited || child.kill(name)),
  };
}
