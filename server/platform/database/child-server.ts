import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findFreePort } from './free-port';
import { waitForPing } from './wait-for-ping';
import type { DatabaseServer } from './database-server';

interface ChildServerSpec {
  kind: DatabaseServer['kind'];
  command: string;
  args: (port: number) => string[];
  dataDir: string;
  /** Set in the child's environment where this process's own environment does not set them. */
  defaultEnv?: Record<string, string>;
}

export function findOnPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, binary);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * On Linux the child is started through util-linux's `setpriv --pdeathsig`, which asks the kernel to send it SIGTERM
 * when this process dies however it dies (a crash, kill -9), so a dead app never leaves its database running.
 */
export function spawnTiedToThisProcess(
  command: string,
  args: string[],
  log: number,
  defaultEnv: Record<string, string> = {},
): ChildProcess {
  const setpriv = process.platform === 'linux' ? findOnPath('setpriv') : undefined;
  const [file, argv] = setpriv ? [setpriv, ['--pdeathsig', 'TERM', '--', command, ...args]] : [command, args];
  return spawn(file, argv, { stdio: ['ignore', log, log], env: { ...defaultEnv, ...process.env } });
}

/**
 * Starts a database binary on a free loopback port and waits for `ping`. A pid file in the data directory lets the
 * next start stop a server orphaned where the kernel cannot tie it to its parent (not Linux).
 */
export async function startChildServer(spec: ChildServerSpec): Promise<DatabaseServer> {
  mkdirSync(spec.dataDir, { recursive: true });
  stopOrphan(spec.dataDir);
  const port = await findFreePort();
  const log = openSync(path.join(spec.dataDir, `${spec.kind}.log`), 'a');
  const child = spawnTiedToThisProcess(spec.command, spec.args(port), log, spec.defaultEnv);
  const pidFile = path.join(spec.dataDir, 'server.pid');
  writeFileSync(pidFile, String(child.pid));
  const uri = `mongodb://127.0.0.1:${port}/`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`${spec.kind} exited with code ${code}; see its log in ${spec.dataDir}`)),
    ),
  );
  exited.catch(() => undefined);
  await Promise.race([waitForPing(uri), exited]);
  return { kind: spec.kind, uri, stop: () => stopChild(child, pidFile) };
}

function stopOrphan(dataDir: string): void {
  const pidFile = path.join(dataDir, 'server.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    if (pid > 0) process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
  rmSync(pidFile, { force: true });
}

function stopChild(child: ChildProcess, pidFile: string): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      rmSync(pidFile, { force: true });
      resolve();
    };
    if (child.exitCode !== null || child.signalCode !== null) return done();
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(killTimer);
      done();
    });
    child.kill('SIGTERM');
  });
}
