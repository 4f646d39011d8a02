import express from 'express';
import request from 'supertest';
import { createApp } from '../../server/app';
import { systemClock } from '../../server/platform/clock';
import { NotFound } from '../../server/platform/errors';
import { createLogger } from '../../server/platform/logger';
import { testConfig } from '../support/config';

function appWith(
  router: express.Router,
  ready: { database: boolean; jobs: boolean; redis?: boolean } = { database: true, jobs: true },
) {
  return createApp({
    config: testConfig(),
    logger: createLogger({ level: 'silent' }),
    clock: systemClock,
    health: {
      isDatabaseReachable: async () => ready.database,
      isJobRunnerRunning: () => ready.jobs,
      isRedisReachable: () => ready.redis,
    },
    routers: [{ path: '/api', router }],
  });
}

describe('the Express app', () => {
  const router = express.Router();
  router.get('/boom', () => {
    throw new Error('secret internals at /srv/app.ts:42');
  });
  router.get('/missing', async () => {
    throw new NotFound('No such page');
  });
  router.post('/echo-raw', (req, res) => {
    res.json({ raw: req.rawBody?.toString('utf8'), parsed: req.body });
  });

  it('answers an unexpected error with problem+json and no stack trace', async () => {
    const res = await request(appWith(router)).get('/api/boom');
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.text).not.toMatch(/secret internals|\.ts:\d+/);
    expect(JSON.parse(res.text)).toMatchObject({ status: 500, title: 'Internal Server Error' });
  });

  it('maps a domain error from an async handler to its status', async () => {
    const res = await request(appWith(router)).get('/api/missing');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text)).toMatchObject({ status: 404, detail: 'No such page' });
  });

  it('keeps the exact raw bytes of a JSON body beside the parsed one', async () => {
    const body = '{"text":"h\\u00e4llo",  "n":1}';
    const res = await request(appWith(router))
      .post('/api/echo-raw')
      .set('content-type', 'application/json')
      .send(body);
    expect(res.body).toEqual({ raw: body, parsed: { text: 'hällo', n: 1 } });
  });

  it('refuses malformed JSON and oversized bodies with problem+json', async () => {
    const malformed = await request(appWith(router))
      .post('/api/echo-raw')
      .set('content-type', 'application/json')
      .send('{"text":');
    expect(malformed.status).toBe(400);
    expect(malformed.headers['content-type']).toMatch(/problem\+json/);
    const huge = await request(appWith(router))
      .post('/api/echo-raw')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
  });

  it('answers /readyz with 503 while the database is unreachable', async () => {
    const res = await request(appWith(router, { database: false, jobs: true })).get('/readyz');
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text)).toMatchObject({ database: 'unreachable', jobs: 'running' });
  });

  it("answers /readyz with 503 while the deployment's Redis is unreachable, and names it only when there is one", async () => {
    const down = await request(appWith(router, { database: true, jobs: true, redis: false })).get('/readyz');
    expect(down.status).toBe(503);
    expect(JSON.parse(down.text)).toMatchObject({ database: 'ok', redis: 'unreachable' });
    const up = await request(appWith(router, { database: true, jobs: true, redis: true })).get('/readyz');
    expect(up.body).toEqual({ status: 'ready', database: 'ok', jobs: 'running', redis: 'ok' });
    const none = await request(appWith(router)).get('/readyz');
    expect(none.body).toEqual({ status: 'ready', database: 'ok', jobs: 'running' });
  });

  it('sets helmet security headers', async () => {
    const res = await request(appWith(router)).get('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
