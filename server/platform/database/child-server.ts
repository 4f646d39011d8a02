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
}

/**
 * Starts a database binary on a free loopback port and waits for `ping`. A pid file in the data directory lets the
 * next start stop a server orphaned by a killed parent, which would otherwise keep the data files locked.
 */
export async function startChildServer(spec: ChildServerSpec): Promise<DatabaseServer> {
  mkdirSync(spec.dataDir, { recursive: true });
  stopOrphan(spec.dataDir);
  const port = await findFreePort();
  const log = openSync(path.join(spec.dataDir, `${spec.kind}.log`), 'a');
  const child = spawn(spec.command, spec.args(port), { stdio: ['ignore', log, log] });
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
