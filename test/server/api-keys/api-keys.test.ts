import { testRedisUrl } from '../../support/redis';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { ApiKeyModel } from '../../../models/api-key';
import { AuditLogModel } from '../../../models/audit-log';
import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { tenancySeed } from '../../support/tenancy-seed';
import { captureBody } from '../accounts/victim-workspace';

const rateLimit = 5;

describe('API keys: admins create and revoke them; a key request needs no session and no CSRF token', () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let conversationId: string;
  let pageId: string;

  beforeAll(async () => {
    simulator = await startSimulator({
      seed: { ...tenancySeed, people: [{ id: 'p1', firstName: 'Pia', lastName: 'Shared' }] },
    });
    app = await startTestApp({ simulator, config: { API_KEY_RATE_LIMIT: String(rateLimit) } });
    await simulator.control.setWebhook({ callbackUrl: `${app.url}/webhooks/facebook`, retryDelaysMs: [50] });
    alice = await app.login('1001');
    const connected = await alice.agent
      .post('/api/pages')
      .set(alice.csrf)
      .send({ fbPageIds: ['2001'] })
      .expect(201);
    pageId = (connected.body.data as { id: string }[])[0]?.id ?? '';
    await simulator.control.sendText('p1', '2001', 'hello shoes');
    await simulator.control.waitForWebhookIdle();
    await app.server().webhooks.processor.idle();
    const inbox = await alice.agent.get('/api/conversations').expect(200);
    conversationId = (inbox.body.data as { id: string }[])[0]?.id ?? '';
  }, 30_000);
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  const createKey = async (scopes: string[], name = 'CRM') =>
    (await alice.agent.post('/api/api-keys').set(alice.csrf).send({ name, scopes }).expect(201)).body as {
      id: string;
      key: string;
      prefix: string;
    };
  const withKey = (key: string) => ({ authorization: `Bearer ${key}` });

  it('the key is answered once: the list shows its prefix, and the database keeps only its hash', async () => {
    const created = await createKey(['read'], 'Shop');
    expect(created.key.startsWith(`${created.prefix}_`)).toBe(true);
    const list = await alice.agent.get('/api/api-keys').expect(200);
    expect(list.text).not.toContain(created.key);
    expect(list.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: created.id, name: 'Shop', scopes: ['read'], prefix: created.prefix }),
      ]),
    );
    expect(list.body.scopes).toContainEqual({
      name: 'subscribers',
      meaning: expect.stringMatching(/erase/),
    });
    const stored = await ApiKeyModel.findById(created.id).lean();
    expect(JSON.stringify(stored)).not.toContain(created.key.slice(created.prefix.length + 1));
    expect(await AuditLogModel.exists({ action: 'api_key.created', 'object.id': created.id })).not.toBeNull();
  });

  it('a key request in its scope works without a CSRF token and never gets a session cookie', async () => {
    const { key } = await createKey(['conversations']);
    const note = await request(app.url)
      .post(`/api/conversations/${conversationId}/notes`)
      .set(withKey(key))
      .send({ text: 'From the CRM' });
    expect(note.status).toBe(201);
    expect(note.headers['set-cookie']).toBeUndefined();
    const read = await request(app.url).get('/api/conversations').set(withKey(key)).expect(200);
    expect(read.headers['set-cookie']).toBeUndefined();
    expect(read.text).toContain(conversationId);
  });

  it('what a key does is audited as the key', async () => {
    const { id, key } = await createKey(['automation']);
    await request(app.url).post('/api/captures').set(withKey(key)).send(captureBody(pageId)).expect(201);
    const entry = await AuditLogModel.findOne({ 'actor.kind': 'api-key', 'actor.id': id }).lean();
    expect(entry?.action).toBe('capture.created');
  });

  it('a revoked key, an unknown key and a malformed one answer 401 with a Bearer challenge', async () => {
    const { id, key } = await createKey(['read']);
    await request(app.url).get('/api/pages').set(withKey(key)).expect(200);
    await alice.agent.delete(`/api/api-keys/${id}`).set(alice.csrf).expect(204);
    for (const bad of [key, `${key.slice(0, -1)}x`, 'pwk_000000000000_nope', '']) {
      const res = await request(app.url).get('/api/pages').set(withKey(bad));
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const list = await alice.agent.get('/api/api-keys').expect(200);
    const revoked = (list.body.data as { id: string; revokedAt: string | null }[]).find((k) => k.id === id);
    expect(revoked?.revokedAt).not.toBeNull();
  });

  it('a key stops working when the admin who created it is no longer one (demoted or removed)', async () => {
    const invitation = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role: 'admin' });
    const carol = await app.login('1003', { invitationUrl: invitation.body.url });
    const carolId = (await carol.agent.get('/api/me')).body.user.id as string;
    const { key } = (
      await carol.agent
        .post('/api/api-keys')
        .set(carol.csrf)
        .send({ name: 'Carol CRM', scopes: ['read'] })
        .expect(201)
    ).body as { key: string };
    await request(app.url).get('/api/pages').set(withKey(key)).expect(200);
    await alice.agent.patch(`/api/members/${carolId}`).set(alice.csrf).send({ role: 'agent' }).expect(204);
    expect((await request(app.url).get('/api/pages').set(withKey(key))).status).toBe(401);
    await alice.agent.patch(`/api/members/${carolId}`).set(alice.csrf).send({ role: 'admin' }).expect(204);
    await request(app.url).get('/api/pages').set(withKey(key)).expect(200);
    await alice.agent.delete(`/api/members/${carolId}`).set(alice.csrf).expect(204);
    expect((await request(app.url).get('/api/pages').set(withKey(key))).status).toBe(401);
  });

  it('a key reaches neither /auth nor /admin nor the session routes, and cannot revoke keys', async () => {
    const { id, key } = await createKey(['read', 'conversations', 'broadcasts', 'automation', 'subscribers']);
    for (const [method, path] of [
      ['post', '/auth/logout'],
      ['get', '/admin/jobs/'],
      ['get', '/api/me'],
      ['get', '/api/csrf-token'],
      ['get', '/api/api-keys'],
      ['delete', `/api/api-keys/${id}`],
    ] as const) {
      const res = await request(app.url)[method](path).set(withKey(key));
      expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} 401`);
    }
  });

  it('past API_KEY_RATE_LIMIT requests a minute, a key gets 429 with RateLimit headers; another key does not', async () => {
    const { key } = await createKey(['read']);
    const statuses: number[] = [];
    let last: request.Response | undefined;
    for (let i = 0; i < rateLimit + 2; i += 1) {
      last = await request(app.url).get('/api/pages').set(withKey(key));
      statuses.push(last.status);
    }
    expect(statuses).toEqual([...Array<number>(rateLimit).fill(200), 429, 429]);
    expect(last?.headers['ratelimit-policy']).toMatch(/q=5/);
    expect(last?.headers['ratelimit']).toMatch(/r=0/);
    expect(last?.headers['content-type']).toContain('application/problem+json');
    const other = await createKey(['read']);
    await request(app.url).get('/api/pages').set(withKey(other.key)).expect(200);
  });

  it('lastUsedAt is written on first use and then at most once a minute', async () => {
    const { id, key } = await createKey(['read']);
    await request(app.url).get('/api/pages').set(withKey(key)).expect(200);
    const first = (await ApiKeyModel.findById(id).lean())?.lastUsedAt;
    expect(first).toBeInstanceOf(Date);
    await request(app.url).get('/api/pages').set(withKey(key)).expect(200);
    expect((await ApiKeyModel.findById(id).lean())?.lastUsedAt).toEqual(first);
    app.clock.advance(61_000);
    await request(app.url).get('/api/pages').set(withKey(key)).expect(200);
    expect((await ApiKeyModel.findById(id).lean())?.lastUsedAt?.getTime()).toBeGreaterThan(
      first?.getTime() ?? 0,
    );
  });

  it('nonsense when creating a key is a 400 naming the field', async () => {
    const res = await alice.agent
      .post('/api/api-keys')
      .set(alice.csrf)
      .send({ name: '', scopes: ['everything'] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.issues)).toMatch(/name|scopes/);
  });
});

describe('API keys with REDIS_URL: the rate limit is counted in Redis, shared by every process', () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: tenancySeed });
    app = await startTestApp({
      simulator,
      config: {
        API_KEY_RATE_LIMIT: '3',
        REDIS_URL: testRedisUrl(),
        REDIS_KEY_PREFIX: `api-keys-${randomBytes(4).toString('hex')}`,
      },
    });
  }, 30_000);
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  it('a key that used up its minute is still refused by a restarted process', async () => {
    const alice = await app.login('1001');
    const created = await alice.agent
      .post('/api/api-keys')
      .set(alice.csrf)
      .send({ name: 'Shared', scopes: ['read'] })
      .expect(201);
    const withKey = { authorization: `Bearer ${(created.body as { key: string }).key}` };
    for (let i = 0; i < 3; i += 1) await request(app.url).get('/api/pages').set(withKey).expect(200);
    await app.restart();
    const refused = await request(app.url).get('/api/pages').set(withKey);
    expect(refused.status).toBe(429);
    expect(refused.headers['ratelimit']).toMatch(/r=0/);
  });
});
