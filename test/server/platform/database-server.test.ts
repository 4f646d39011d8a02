import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { resolveDatabaseServer } from '../../../server/platform/database/database-server';
import { testDatabaseUri } from '../../support/database';

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
