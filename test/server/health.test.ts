import request from 'supertest';
import mongoose from 'mongoose';
import { startServer, type RunningServer } from '../../server/server';
import { systemClock } from '../../server/platform/clock';
import { createLogger } from '../../server/platform/logger';
import { testConfig } from '../support/config';
import { stopBeforeDatabaseCloses, useTestDatabase } from '../support/database';

describe('health probes', () => {
  useTestDatabase();
  let server: RunningServer;

  beforeAll(async () => {
    const started = await startServer({
      config: testConfig(),
      logger: createLogger({ level: 'silent' }),
      clock: systemClock,
      db: mongoose.connection,
    });
    server = { ...started, stop: stopBeforeDatabaseCloses(started.stop) };
  });
  afterAll(() => server.stop());

  it('answers /healthz while the process is up', async () => {
    const res = await request(server.url).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 when the database answers and Agenda runs', async () => {
    const res = await request(server.url).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ database: 'ok', jobs: 'running' });
  });
});
