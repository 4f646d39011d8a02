import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { createApp } from '../../../server/app';
import { systemClock } from '../../../server/platform/clock';
import { createLogger } from '../../../server/platform/logger';
import { testConfig } from '../../support/config';
import { testTempDir } from '../../support/temp-dir';

describe('before the dashboard is built', () => {
  const api = express.Router();
  api.get('/ping', (_req, res) => {
    res.json({ pong: true });
  });
  const app = createApp({
    config: testConfig({
      PUBLIC_URL: 'http://localhost:3000',
      CLIENT_DIST_DIR: path.join(testTempDir('pagewire-no-dist'), 'dist'),
    }),
    logger: createLogger({ level: 'silent' }),
    clock: systemClock,
    health: { isDatabaseReachable: async () => true, isJobRunnerRunning: () => true },
    routers: [{ path: '/api', router: api }],
  });
  const visit = (pathname: string) =>
    request(app).get(pathname).set('host', 'localhost:3000').set('accept', 'text/html');

  it.each(['/', '/inbox'])(
    'answers a browser visit of %s with a 503 page saying how to build it',
    async (page) => {
      const res = await visit(page);
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).toContain('npm run build:client');
    },
  );

  it('keeps answering the API and the probes', async () => {
    expect((await visit('/api/ping')).body).toEqual({ pong: true });
    expect((await visit('/healthz')).body).toEqual({ status: 'ok' });
    const unknown = await visit('/api/unknown');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/problem\+json/);
  });

  it('answers a missing asset with 404', async () => {
    expect((await visit('/assets/index-Bx7kq2Lm.js')).status).toBe(404);
  });
});
