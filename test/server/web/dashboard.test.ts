/**
 * The dashboard served by the whole product (test/support/client-dist stands in for `npm run build:client`): hashed
 * assets cached for good, index.html revalidated, index.html for every page of the app, and never for the server's
 * own paths, whatever the browser accepts.
 */
import request from 'supertest';
import { findFreePort } from '../../../server/platform/database/free-port';
import { testConfig } from '../../support/config';
import { useTestDatabase } from '../../support/database';
import { startTestServer, type TestServer } from '../../support/server';

const browserAccept = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const isIndexHtml = (res: request.Response) => res.text?.includes('<div id="root"></div>') ?? false;

describe('serving the dashboard', () => {
  useTestDatabase();
  let server: TestServer;
  let port: number;

  beforeAll(async () => {
    port = await findFreePort();
    server = await startTestServer({
      config: testConfig({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` }),
    });
  });
  afterAll(() => server.stop());

  const visit = (path: string) => request(server.url).get(path).set('accept', browserAccept);

  it('serves hashed assets as immutable for a year', async () => {
    const script = await request(server.url).get('/assets/index-Bx7kq2Lm.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const style = await request(server.url).get('/assets/index-D4nR8sWp.css');
    expect(style.headers['content-type']).toMatch(/text\/css/);
    expect(style.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it.each(['/', '/login', '/inbox', '/inbox/665f1c2e9b1d4a0012345678', '/pages', '/sandbox', '/index.html'])(
    'answers a browser visit of %s with index.html, revalidated on every visit',
    async (path) => {
      const res = await visit(path);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers.vary).toMatch(/Accept/);
      expect(isIndexHtml(res)).toBe(true);
    },
  );

  it('answers HEAD of a page like GET, without a body', async () => {
    const res = await request(server.url).head('/inbox').set('accept', browserAccept);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text ?? '').toBe('');
  });

  it('serves the files beside index.html, revalidated', async () => {
    const res = await request(server.url).get('/favicon.svg');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/image\/svg\+xml/);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it.each([
    ['/api/unknown', 404],
    ['/api', 404],
    ['/api/pages', 401],
    ['/auth/unknown', 404],
    ['/webhooks/facebook', 403],
    ['/webhooks/elsewhere', 404],
    ['/r/not-a-link', 404],
    ['/assets/missing-Zz9.js', 404],
    ['/assets/', 404],
  ])(
    'never answers a browser visit of the server’s %s with index.html (%i problem)',
    async (path, status) => {
      const res = await visit(path);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(isIndexHtml(res)).toBe(false);
    },
  );

  it('leaves the probes and socket.io to themselves', async () => {
    const healthz = await visit('/healthz');
    expect(healthz.body).toEqual({ status: 'ok' });
    const readyz = await visit('/readyz');
    expect(readyz.body).toMatchObject({ status: 'ready' });
    const socket = await visit('/socket.io/?EIO=4&transport=polling');
    expect(socket.status).toBe(200);
    expect(socket.text).toMatch(/"sid"/);
    expect(isIndexHtml(socket)).toBe(false);
  });

  it('answers index.html only to a browser visit: not to fetch, JSON, or a POST', async () => {
    const json = await request(server.url).get('/inbox').set('accept', 'application/json');
    expect(json.status).toBe(404);
    expect(json.headers['content-type']).toMatch(/problem\+json/);
    const anything = await request(server.url).get('/inbox').set('accept', '*/*');
    expect(anything.status).toBe(404);
    const posted = await request(server.url).post('/inbox').set('accept', browserAccept).send({});
    expect(posted.status).toBe(404);
  });

  it('sends a browser on another name for this server to PUBLIC_URL, with the same path and query', async () => {
    const res = await visit('/inbox/665f1c2e9b1d4a0012345678?tab=notes').set('host', `localhost:${port}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`http://127.0.0.1:${port}/inbox/665f1c2e9b1d4a0012345678?tab=notes`);
  });

  it('never redirects a path-relative trick to another site', async () => {
    const res = await visit('//evil.example/login').set('host', `localhost:${port}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`http://127.0.0.1:${port}//evil.example/login`);
  });

  it.each([
    ['/api/me', 401],
    ['/auth/unknown', 404],
    ['/webhooks/facebook', 403],
    ['/r/not-a-link', 404],
    ['/healthz', 200],
    ['/readyz', 200],
    ['/assets/index-Bx7kq2Lm.js', 200],
  ])('answers %s on any host, without a redirect', async (path, status) => {
    const res = await visit(path).set('host', `localhost:${port}`);
    expect(res.status).toBe(status);
  });

  it('answers socket.io on any host', async () => {
    const res = await visit('/socket.io/?EIO=4&transport=polling').set('host', `localhost:${port}`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/"sid"/);
  });

  it('does not redirect webhook deliveries on another host', async () => {
    const res = await request(server.url)
      .post('/webhooks/facebook')
      .set('host', `localhost:${port}`)
      .set('accept', browserAccept)
      .send({ object: 'page', entry: [] });
    expect(res.status).toBe(401);
  });
});
