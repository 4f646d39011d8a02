import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { findFreePort } from '../../server/platform/database/free-port';
import { freshDatabaseName, testDatabaseUri } from '../support/database';

const repositoryRoot = path.resolve(__dirname, '../..');

async function waitForHealthy(url: string, deadlineMs = 20_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/readyz`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('server did not become ready');
}

describe('the server process', () => {
  it('stops cleanly on SIGTERM: answers what was in flight, exits 0', async () => {
    const port = await findFreePort();
    const databaseName = freshDatabaseName();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        PORT: String(port),
        HOST: '127.0.0.1',
        MONGODB_URI: `${testDatabaseUri()}${databaseName}`,
        DATA_DIR: path.join(repositoryRoot, 'data', 'test-shutdown'),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const url = `http://127.0.0.1:${port}`;
    await waitForHealthy(url);
    // A request whose headers are half sent when the signal arrives is in flight: it must still get its answer.
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    const answered = new Promise((resolve) => socket.once('end', resolve));
    socket.write('Connection: close\r\n\r\n');
    await answered;

    expect(answer).toMatch(/^HTTP\/1.1 200/);
    expect(await exited).toBe(0);
    expect(output).toContain('stopped cleanly');
    // A clean stop is quiet: nothing at error level (pino's 50), e.g. Agenda's scans failing on the closed connection.
    expect(output.split('\n').filter((line) => line.includes('"level":50'))).toEqual([]);
    // Agenda's jobs at shutdown: test/db/agenda.test.ts and test/server/broadcasts/shutdown.test.ts.
    const client = await MongoClient.connect(testDatabaseUri());
    await client.db(databaseName).dropDatabase();
    await client.close();
  });
});
