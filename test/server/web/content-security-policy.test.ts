import express from 'express';
import request from 'supertest';
import { createApp } from '../../../server/app';
import { systemClock } from '../../../server/platform/clock';
import { createLogger } from '../../../server/platform/logger';
import { testConfig } from '../../support/config';

function appWith(variables: Record<string, string>) {
  return createApp({
    config: testConfig(variables),
    logger: createLogger({ level: 'silent' }),
    clock: systemClock,
    health: { isDatabaseReachable: async () => true, isJobRunnerRunning: () => true },
    routers: [{ path: '/api', router: express.Router() }],
  });
}

/** `{ 'script-src': ["'self'"], ... }` from the header. */
async function policyOf(variables: Record<string, string>, path = '/'): Promise<Record<string, string[]>> {
  const publicUrl = new URL(variables.PUBLIC_URL ?? 'http://localhost:3000');
  const res = await request(appWith(variables))
    .get(path)
    .set('host', publicUrl.host)
    .set('accept', 'text/html');
  const header = String(res.headers['content-security-policy'] ?? '');
  return Object.fromEntries(
    header
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name = '', ...sources]) => [name, sources]),
  );
}

describe('the content security policy', () => {
  it('lets the dashboard run its own scripts and styles, and no inline script', async () => {
    const policy = await policyOf({ PUBLIC_URL: 'http://localhost:3000' });
    expect(policy['default-src']).toEqual(["'self'"]);
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['script-src-attr']).toEqual(["'none'"]);
    expect(policy['style-src']).toContain("'self'");
    expect(policy['object-src']).toEqual(["'none'"]);
    expect(policy['frame-ancestors']).toEqual(["'self'"]);
  });

  it('lets the dashboard talk to its own origin only, websocket included', async () => {
    const policy = await policyOf({ PUBLIC_URL: 'http://localhost:3000' });
    expect(policy['connect-src']).toEqual(["'self'"]);
  });

  it('lets images come from the origin, data: URLs and https (Meta’s profile pictures)', async () => {
    const policy = await policyOf({ PUBLIC_URL: 'http://localhost:3000' });
    expect(policy['img-src']).toEqual(["'self'", 'data:', 'https:']);
  });

  it('in the sandbox, also lets images come from the simulator, which serves them over http', async () => {
    const policy = await policyOf({
      PUBLIC_URL: 'http://localhost:3000',
      SANDBOX: '1',
      FB_GRAPH_URL: 'http://127.0.0.1:3900',
    });
    expect(policy['img-src']).toEqual(["'self'", 'data:', 'https:', 'http://127.0.0.1:3900']);
  });

  it('lets a login form end at the Facebook Login dialog', async () => {
    const policy = await policyOf({ PUBLIC_URL: 'http://localhost:3000' });
    expect(policy['form-action']).toEqual(["'self'", 'https://www.facebook.com']);
  });

  it('upgrades insecure requests only when PUBLIC_URL is https', async () => {
    expect(await policyOf({ PUBLIC_URL: 'https://pagewire.example.com' })).toHaveProperty(
      'upgrade-insecure-requests',
    );
    expect(await policyOf({ PUBLIC_URL: 'http://192.168.1.20:3000' })).not.toHaveProperty(
      'upgrade-insecure-requests',
    );
    expect(await policyOf({ PORT: '3000' })).not.toHaveProperty('upgrade-insecure-requests');
  });

  it('is sent with API answers too', async () => {
    const policy = await policyOf({ PUBLIC_URL: 'http://localhost:3000' }, '/api/nothing');
    expect(policy['script-src']).toEqual(["'self'"]);
  });
});
