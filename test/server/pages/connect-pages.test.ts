import { createServer, type Server } from 'node:http';
import mongoose from 'mongoose';
import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { tenancySeed } from '../../support/tenancy-seed';

/** Every string anywhere inside a document, to look for a token wherever it might hide. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * Sits between the app and the simulator's Graph API and keeps every `access_token` the simulator hands out, by
 * path: the user's short-lived token (code exchange) and long-lived token (fb_exchange_token) come from
 * /oauth/access_token, Page tokens from /me/accounts.
 */
async function startTokenRecorder(graphUrl: string) {
  const issued: { path: string; token: string }[] = [];
  const skipped = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'content-encoding']);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const headers = Object.entries(req.headers).filter(([name]) => !skipped.has(name));
      const upstream = await fetch(new URL(req.url ?? '/', graphUrl), {
        method: req.method ?? 'GET',
        headers: headers.map(([name, value]) => [name, String(value)]),
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      });
      const body = await upstream.text();
      const path = new URL(req.url ?? '/', graphUrl).pathname;
      for (const match of body.matchAll(/"access_token":"([^"]+)"/g))
        issued.push({ path, token: match[1] ?? '' });
      res.writeHead(
        upstream.status,
        [...upstream.headers].filter(([name]) => !skipped.has(name)),
      );
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the recorder has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    userTokens: () =>
      issued.filter(({ path }) => path.endsWith('/oauth/access_token')).map(({ token }) => token),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('connecting Pages', () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let recorder: Awaited<ReturnType<typeof startTokenRecorder>>;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: tenancySeed });
    recorder = await startTokenRecorder(simulator.url);
    app = await startTestApp({ simulator, config: { FB_GRAPH_URL: recorder.url } });
    alice = await app.login('1001');
  });
  afterAll(async () => {
    await app.stop();
    await recorder.stop();
    await simulator.stop();
  });

  it('lists the Pages the user manages on Facebook, without their tokens', async () => {
    const res = await alice.agent.get('/api/pages/available');
    expect(res.status).toBe(200);
    expect(res.body.data.map((page: { fbPageId: string }) => page.fbPageId).sort()).toEqual(['2001', '2002']);
    expect(JSON.stringify(res.body)).not.toMatch(/access_?token/i);
  });

  it('connecting needs the CSRF token', async () => {
    const res = await alice.agent.post('/api/pages').send({ fbPageIds: ['2001'] });
    expect(res.status).toBe(403);
  });

  it('refuses a Page the user does not manage', async () => {
    const res = await alice.agent
      .post('/api/pages')
      .set(alice.csrf)
      .send({ fbPageIds: ['3001'] });
    expect(res.status).toBe(400);
  });

  it('connects a Page: subscribed with our fields, shown with its m.me link and health', async () => {
    const res = await alice.agent
      .post('/api/pages')
      .set(alice.csrf)
      .send({ fbPageIds: ['2001'] });
    expect(res.status).toBe(201);
    expect(res.body.data[0]).toMatchObject({
      fbPageId: '2001',
      name: 'Alice Shoes',
      subscriberCount: 0,
      mMeLink: 'https://m.me/2001',
      health: { status: 'ok' },
      sharing: { scope: 'workspace' },
      subscription: { subscribed: true },
    });
    const pageId = res.body.data[0].id as string;
    const credentials = await app
      .server()
      .accounts.services.pageAccess.getSendCredentials(
        (await alice.agent.get('/api/me')).body.workspace.id,
        pageId,
      );
    const apps = await app.server().messenger.graph.getSubscribedApps(credentials);
    expect(apps.find((installed) => installed.id === simulator.appId)?.subscribedFields).toEqual(
      expect.arrayContaining(['messages', 'messaging_postbacks', 'message_echoes', 'feed']),
    );
    const available = await alice.agent.get('/api/pages/available');
    expect(available.body.data.find((page: { fbPageId: string }) => page.fbPageId === '2001').connected).toBe(
      true,
    );
  });

  it('stores no plain token anywhere in the database, nor in the logs: not the Page’s, not the user’s', async () => {
    const me = (await alice.agent.get('/api/me')).body;
    const [page] = (await alice.agent.get('/api/pages')).body.data;
    const { accessToken } = await app
      .server()
      .accounts.services.pageAccess.getSendCredentials(me.workspace.id, page.id);
    // The code exchange's short-lived token and the long-lived one it was swapped for, as the simulator issued them.
    const userTokens = recorder.userTokens();
    expect(new Set(userTokens).size).toBe(2);
    const tokens = [accessToken, ...userTokens];
    for (const token of tokens) expect(token.length).toBeGreaterThan(10);
    const db = mongoose.connection.db;
    if (!db) throw new Error('no database');
    for (const { name } of await db.listCollections().toArray()) {
      const documents = await db.collection(name).find({}).toArray();
      const strings = documents.flatMap(stringsIn);
      for (const token of tokens) expect(strings.filter((text) => text.includes(token))).toEqual([]);
    }
    for (const token of tokens) expect(app.logs()).not.toContain(token);
    expect(app.logs().length).toBeGreaterThan(0);
  });

  it('disconnecting unsubscribes the app and keeps the Page document; reconnecting reuses it', async () => {
    const [page] = (await alice.agent.get('/api/pages')).body.data;
    expect((await alice.agent.delete(`/api/pages/${page.id}`).set(alice.csrf)).status).toBe(204);
    expect((await alice.agent.get('/api/pages')).body.data).toEqual([]);
    const stored = await mongoose.connection.db?.collection('pages').findOne({ fbPageId: '2001' });
    expect(stored).toMatchObject({ connected: false });
    expect(stored?.accessToken).toBeUndefined();

    const again = await alice.agent
      .post('/api/pages')
      .set(alice.csrf)
      .send({ fbPageIds: ['2001'] });
    expect(again.body.data[0].id).toBe(page.id);
  });

  it('a Facebook login that has expired asks to log in again (401), never a 500', async () => {
    const bob = await app.login('1002');
    await simulator.control.revokeUserToken('1002', 'invalidated');
    const res = await bob.agent.get('/api/pages/available');
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/log in with Facebook again/);
  });
});

describe('the simulator restarts under a logged-in user (npm start again, in the sandbox)', () => {
  useTestDatabase();

  it('listing the Pages you manage still answers 200: the stored Facebook login is still good', async () => {
    const first = await startSimulator({ seed: tenancySeed });
    const app = await startTestApp({ simulator: first });
    let restarted: Simulator | undefined;
    try {
      const alice = await app.login('1001');
      expect((await alice.agent.get('/api/pages/available')).status).toBe(200);
      await first.stop();
      restarted = await startSimulator({ seed: tenancySeed, port: Number(new URL(first.url).port) });
      const res = await alice.agent.get('/api/pages/available');
      expect(res.status).toBe(200);
      expect(res.body.data.map((page: { fbPageId: string }) => page.fbPageId).sort()).toEqual([
        '2001',
        '2002',
      ]);
    } finally {
      await app.stop();
      await restarted?.stop();
    }
  });
});
