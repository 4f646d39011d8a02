import request from 'supertest';
import { listMountedRoutes } from '../../../server/platform/http/route-inventory';
import { useTestDatabase } from '../../support/database';
import { startTestServer, type TestServer } from '../../support/server';

describe('outside the sandbox', () => {
  useTestDatabase();
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('says so, for the sign-in page', async () => {
    const res = await request(server.url).get('/api/sandbox');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ enabled: false });
  });

  it('mounts no other sandbox route', async () => {
    const sandboxRoutes = listMountedRoutes(server.app, '/api/sandbox').map(
      (route) => `${route.method} ${route.path}`,
    );
    expect(sandboxRoutes).toEqual(['GET /api/sandbox']);
    const advance = await request(server.url).post('/api/sandbox/clock/advance').send({ hours: 1 });
    expect(advance.status).toBe(404);
    const message = await request(server.url).post('/api/sandbox/messages').send({});
    expect(message.status).toBe(404);
  });
});
