import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { ferretdbPath, resolveDatabaseServer } from '../../../server/platform/database/database-server';
import { findOnPath } from '../../../server/platform/database/child-server';
import { findFreePort } from '../../../server/platform/database/free-port';
import { startSimulator, type Simulator } from '../../../simulator/index';
import { testDatabaseUri } from '../../support/database';
import { deploymentEnvironment, startPagewireProcess } from '../../support/pagewire-process';
import { testTempDir } from '../../support/temp-dir';

const repositoryRoot = path.resolve(__dirname, '../../..');

describe('database harness', () => {
  it('uses MONGODB_URI when it is given and stops nothing it did not start', async () => {
    const server = await resolveDatabaseServer({
      mongodbUri: testDatabaseUri(),
      dataDir: testTempDir('pagewire-unused'),
      toolsRoot: repositoryRoot,
    });
    expect(server.kind).toBe('uri');
    await server.stop();
    const client = await MongoClient.connect(testDatabaseUri());
    await expect(client.db('admin').command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
    await client.close();
  });

  it('keeps data in its directory across a restart of the server it started', async () => {
    const dataDir = testTempDir('pagewire-persist');
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

  const startsFerretDB = existsSync(ferretdbPath(repositoryRoot)) && !findOnPath('mongod');
  const environmentOf = (pid: number) =>
    new Map(
      readFileSync(`/proc/${pid}/environ`, 'utf8')
        .split('\0')
        .filter(Boolean)
        .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)] as const),
    );
  /** Sets (or, for undefined, unsets) these variables of this process's environment, and gives back the old ones. */
  const setEnvironment = (values: Record<string, string | undefined>) => {
    const before = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
    for (const [name, value] of Object.entries(values))
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    return before;
  };
  const goSettingsOfFerretDBStartedWith = async (env: Record<string, string | undefined>) => {
    const before = setEnvironment(env);
    const dataDir = testTempDir('pagewire-gogc');
    const server = await resolveDatabaseServer({ dataDir, toolsRoot: repositoryRoot }).finally(() =>
      setEnvironment(before),
    );
    try {
      const childEnv = environmentOf(
        Number(readFileSync(path.join(dataDir, 'ferretdb', 'server.pid'), 'utf8')),
      );
      return { GOGC: childEnv.get('GOGC'), GOMEMLIMIT: childEnv.get('GOMEMLIMIT') };
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  };

  (startsFerretDB && process.platform === 'linux' ? it : it.skip)(
    "starts FerretDB with Go's collector set for fewer cycles, unless the environment sets it",
    async () => {
      await expect(
        goSettingsOfFerretDBStartedWith({ GOGC: undefined, GOMEMLIMIT: undefined }),
      ).resolves.toEqual({
        GOGC: '400',
        GOMEMLIMIT: '256MiB',
      });
      await expect(goSettingsOfFerretDBStartedWith({ GOGC: '150', GOMEMLIMIT: undefined })).resolves.toEqual({
        GOGC: '150',
        GOMEMLIMIT: '256MiB',
      });
    },
    30_000,
  );
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
