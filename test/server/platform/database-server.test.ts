import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { resolveDatabaseServer } from '../../../server/platform/database/database-server';
import { findFreePort } from '../../../server/platform/database/free-port';
import { startSimulator, type Simulator } from '../../../simulator/index';
import { testDatabaseUri } from '../../support/database';
import { deploymentEnvironment, startPagewireProcess } from '../../support/pagewire-process';

const repositoryRoot = path.resolve(__dirname, '../../..');

describe('database harness', () => {
  it('uses MONGODB_URI when it is given and stops nothing it did not start', async () => {
    const server = await resolveDatabaseServer({
      mongodbUri: testDatabaseUri(),
      dataDir: mkdtempSync(path.join(os.tmpdir(), 'pagewire-unused-')),
      toolsRoot: repositoryRoot,
    });
    expect(server.kind).toBe('uri');
    await server.stop();
    const client = await MongoClient.connect(testDatabaseUri());
    await expect(client.db('admin').command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
    await client.close();
  });

  it('keeps data in its directory across a restart of the server it started', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pagewire-persist-'));
    try {
      const first = await resolveDatabaseServer({ dataDir, toolsRoot: repositoryRoot });
      expect(first.kind).not.toBe('uri');
      let client = await MongoClient.connect(first.uri);
      await client.db('pagewire').collection('notes').insertOne({ text: 'kept' });
      await client.close();
      await first.stop();

      const second = await resolveDatabaseServer({ dataDir, toolsRoot: repositoryRoot });
      client = await MongoClient.connect(second.uri);
      const note = await client.db('pagewire').collection('notes').findOne({ text: 'kept' });
      await client.close();
      await second.stop();
      expect(note?.text).toBe('kept');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the database an app process starts for itself', () => {
  let simulator: Simulator;
  beforeAll(async () => {
    simulator = await startSimulator();
  });
  afterAll(async () => {
    await simulator.stop();
  });

  const isAlive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it('does not outlive the app when the app is killed with -9', async () => {
    const env = deploymentEnvironment({
      port: await findFreePort(),
      databaseUri: testDatabaseUri(),
      databaseName: 'unused',
      simulator,
    });
    delete env.MONGODB_URI;
    const app = await startPagewireProcess(env);
    const databaseDir = path.join(env.DATA_DIR as string, 'db');
    const pidFiles = readdirSync(databaseDir)
      .map((kind) => path.join(databaseDir, kind, 'server.pid'))
      .filter((file) => existsSync(file));
    expect(pidFiles).toHaveLength(1);
    const databasePid = Number(readFileSync(pidFiles[0] as string, 'utf8'));
    expect(isAlive(databasePid)).toBe(true);

    await app.crash();
    const deadline = Date.now() + 15_000;
    while (isAlive(databasePid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(databasePid)).toBe(false);
  }, 60_000);
});
