import express from 'express';
import request from 'supertest';
import { createApp } from '../../../server/app';
import { systemClock } from '../../../server/platform/clock';
import { createLogger } from '../../../server/platform/logger';
import { testConfig } from '../../support/config';

/** The redirect on the whole product's routes is in dashboard.test.ts; these are the deployments behind a proxy. */
function appWith(variables: Record<string, string>) {
  return createApp({
    config: testConfig(variables),
    logger: createLogger({ level: 'silent' }),
    clock: systemClock,
    health: { isDatabaseReachable: async () => true, isJobRunnerRunning: () => true },
    routers: [{ path: '/api', router: express.Router() }],
  });
}

describe('the canonical host, behind a TLS proxy', () => {
  const publicUrl = 'https://pagewire.example.com';

  it('does not redirect when the proxy does not say the visit was https, which could loop', async () => {
    const res = await request(appWith({ PUBLIC_URL: publicUrl }))
      .get('/inbox')
      .set('host', '127.0.0.1:3000')
      .set('accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<div id="root"></div>');
  });

  it('redirects a trusted proxy’s https visit of another host, and not one of the public host', async () => {
    const app = appWith({ PUBLIC_URL: publicUrl, TRUST_PROXY: 'true' });
    const elsewhere = await request(app)
      .get('/inbox?tab=open')
      .set('x-forwarded-proto', 'https')
      .set('x-forwarded-host', 'www.pagewire.example.com')
      .set('accept', 'text/html');
    expect(elsewhere.status).toBe(302);
    expect(elsewhere.headers.location).toBe('https://pagewire.example.com/inbox?tab=open');
    const canonical = await request(app)
      .get('/inbox')
      .set('x-forwarded-proto', 'https')
      .set('x-forwarded-host', 'pagewire.example.com')
      .set('accept', 'text/html');
    expect(canonical.status).toBe(200);
  });
});
