import http from 'node:http';
import { useTestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GETs the path on the agent's connection, answering the status and whether an open connection carried it. */
function get(url: string, agent: http.Agent): Promise<{ status: number; reusedSocket: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      res.resume();
      res.once('end', () => resolve({ status: res.statusCode ?? 0, reusedSocket: req.reusedSocket }));
    });
    req.once('error', reject);
  });
}

describe('idle connections', () => {
  useTestDatabase();
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('stay open past Node’s default 5 s, so a delivery sent on one as it would close is not reset', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await get(`${server.url}/healthz`, agent)).toEqual({ status: 200, reusedSocket: false });
      await sleep(6_000);
      expect(await get(`${server.url}/healthz`, agent)).toEqual({ status: 200, reusedSocket: true });
    } finally {
      agent.destroy();
    }
  }, 20_000);
});
