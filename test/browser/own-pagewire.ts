/**
 * A second Pagewire beside the sandbox's, for a spec that needs other settings (a feature switched off): the same
 * compiled server npm start runs (global-setup built it), the sandbox's environment from scripts/sandbox.mjs pointed at
 * the sandbox's simulator, `overrides` on top, a free port and a fresh database on the sandbox's database server.
 *
 *   const off = await startOwnPagewire({ FEATURE_PHONE_INVITES: 'false' });
 *   const context = await browser.newContext({ baseURL: off.url });
 *   ...
 *   await off.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort } from '../../server/platform/database/free-port';
import { testTempDir } from '../support/temp-dir';
import { databaseServerVariable, simulatorUrlVariable } from './global-setup';

const root = path.resolve(__dirname, '../..');
const startTimeoutMs = 60_000;

interface Sandbox {
  serverEnv: NodeJS.ProcessEnv;
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startOwnPagewire(
  overrides: Record<string, string>,
): Promise<{ url: string; stop(): Promise<void> }> {
  const simulatorUrl = process.env[simulatorUrlVariable];
  const databaseServer = process.env[databaseServerVariable];
  if (!simulatorUrl || !databaseServer) throw new Error('run the browser tests with npm run test:browser');
  const { sandboxFor } = (await import(path.join(root, 'scripts', 'sandbox.mjs'))) as {
    sandboxFor(env: NodeJS.ProcessEnv, root: string): Sandbox | null;
  };
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = testTempDir('pagewire-own');
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    SIM_PORT: new URL(simulatorUrl).port,
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    MONGODB_URI: `${databaseServer}/pw_browser_own_${randomBytes(4).toString('hex')}`,
    LOGIN_RATE_LIMIT: '1000',
  };
  for (const name of ['FB_APP_ID', 'FB_APP_SECRET', 'FB_GRAPH_URL', 'FB_DIALOG_URL', 'SIM_SEED'])
    delete base[name];
  const sandbox = sandboxFor(base, root);
  if (!sandbox) throw new Error('the sandbox environment is off');
  const log = createWriteStream(path.join(root, 'test-results', `own-pagewire-${port}.log`));
  const child = spawn(process.execPath, [path.join(root, 'dist', 'server', 'main.js')], {
    cwd: root,
    env: { ...sandbox.serverEnv, ...overrides },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exitOf(child);
    log.end();
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`Pagewire exited while starting; see test-results/own-pagewire-${port}.log`);
    }
    const ready = await fetch(`${url}/readyz`).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) return { url, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Pagewire was not ready within ${startTimeoutMs / 1000} s`);
    }
    await sleep(250);
  }
}
