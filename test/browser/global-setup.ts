/**
 * The sandbox the browser tests drive, started once per run as `npm start` starts it: the client is built
 * (client/dist), then scripts/start.mjs runs the Messenger Platform simulator and Pagewire as two processes, Pagewire
 * pointed at the simulator, on free ports and a fresh database. Tests reach it through the URLs this puts in the
 * environment (see browser-test.ts); everything the processes print goes to test-results/sandbox.log.
 *
 * SKIP_CLIENT_BUILD=1 tests the client/dist already built, while writing a spec against an unchanged client.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolveDatabaseServer } from '../../server/platform/database/database-server';
import { findFreePort } from '../../server/platform/database/free-port';
import { SimulatorControl } from '../../simulator/control/client';
import { testTempDir } from '../support/temp-dir';

const root = path.resolve(__dirname, '../..');
const logPath = path.join(root, 'test-results', 'sandbox.log');
/** start.mjs compiles the server first (tsc, incremental), which takes a while on a busy two-core machine. */
const startTimeoutMs = 180_000;
const stopTimeoutMs = 30_000;

export const appUrlVariable = 'BROWSER_TEST_APP_URL';
export const simulatorUrlVariable = 'BROWSER_TEST_SIMULATOR_URL';
/** The database server's URI, without a database: a spec that runs a Pagewire of its own gives it a fresh database. */
export const databaseServerVariable = 'BROWSER_TEST_DATABASE_SERVER_URI';

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function waitUntilReady(child: ChildProcess, appUrl: string, simulator: SimulatorControl) {
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited while starting; see ${logPath}`);
    const ready = await Promise.all([
      fetch(`${appUrl}/readyz`).then(
        (res) => res.ok,
        () => false,
      ),
      simulator.info().then(
        () => true,
        () => false,
      ),
    ]);
    if (ready.every(Boolean)) return;
    if (Date.now() > deadline) {
      throw new Error(`npm start was not ready within ${startTimeoutMs / 1000} s; see ${logPath}`);
    }
    await sleep(250);
  }
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.env.SKIP_CLIENT_BUILD !== '1') {
    execFileSync('npm', ['--workspace', 'client', 'run', 'build'], { cwd: root, stdio: 'inherit' });
  }

  const dataDir = testTempDir('pagewire-browser');
  const database = await resolveDatabaseServer({
    ...(process.env.MONGODB_URI ? { mongodbUri: process.env.MONGODB_URI } : {}),
    dataDir,
    toolsRoot: root,
  });
  const [port, simulatorPort] = [await findFreePort(), await findFreePort()];
  const appUrl = `http://127.0.0.1:${port}`;
  const simulatorUrl = `http://127.0.0.1:${simulatorPort}`;
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: appUrl,
    SIM_PORT: String(simulatorPort),
    SIM_LOG_LEVEL: 'warn',
    LOG_LEVEL: 'warn',
    DATA_DIR: path.join(dataDir, 'pagewire'),
    MONGODB_URI: `${database.uri.replace(/\/$/, '')}/pw_browser_${randomBytes(4).toString('hex')}`,
    // Every spec logs in from 127.0.0.1; the default limit is for people, not a suite.
    LOGIN_RATE_LIMIT: '1000',
    // A Page sends five messages a second, so a broadcast's progress bar has time to move on screen.
    PAGE_SEND_RATE_PER_SECOND: '5',
    // The flagged features are on, so their screens are tested (test/server covers them off).
    FEATURE_SPONSORED_MESSAGES: 'true',
    FEATURE_PHONE_INVITES: 'true',
  };
  // A Facebook app in the caller's environment would turn the sandbox off (scripts/start.mjs).
  for (const name of ['FB_APP_ID', 'FB_APP_SECRET', 'FB_GRAPH_URL', 'FB_DIALOG_URL', 'SIM_SEED']) {
    delete environment[name];
  }

  mkdirSync(path.dirname(logPath), { recursive: true });
  const log = createWriteStream(logPath);
  // Its own process group, so a start.mjs that does not stop on SIGTERM can be killed with its children.
  const start = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs')], {
    cwd: root,
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  start.stdout.pipe(log);
  start.stderr.pipe(log);

  const stop = async () => {
    if (start.exitCode === null && start.signalCode === null) {
      start.kill('SIGTERM');
      const stopped = await Promise.race([
        exitOf(start).then(() => true),
        sleep(stopTimeoutMs, false, { ref: false }),
      ]);
      if (!stopped && start.pid) process.kill(-start.pid, 'SIGKILL');
      await exitOf(start);
    }
    log.end();
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitUntilReady(start, appUrl, new SimulatorControl(simulatorUrl));
  } catch (error) {
    await stop();
    throw error;
  }
  process.env[appUrlVariable] = appUrl;
  process.env[simulatorUrlVariable] = simulatorUrl;
  process.env[databaseServerVariable] = database.uri.replace(/\/$/, '');
  return stop;
}
