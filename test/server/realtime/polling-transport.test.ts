import { io, type Socket } from 'socket.io-client';
import { findFreePort } from '../../../server/platform/database/free-port';
import { startSimulator, type Simulator } from '../../../simulator/index';
import { testDatabaseUri, useTestDatabase } from '../../support/database';
import { loginThroughSimulator } from '../../support/simulator-login';
import { livechatSeed } from '../livechat/livechat-world';
import {
  deploymentEnvironment,
  startPagewireProcess,
  type PagewireProcess,
} from '../../support/pagewire-process';

/**
 * Browsers connect with socket.io-client's default transports: an HTTP long-polling handshake first, then the
 * upgrade. Both the polling requests and Express answering them once crashed the process (ERR_HTTP_HEADERS_SENT).
 */
describe('socket.io over HTTP long-polling, against a real Pagewire process', () => {
  const database = useTestDatabase();
  let simulator: Simulator;
  let app: PagewireProcess;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: livechatSeed });
    app = await startPagewireProcess(
      deploymentEnvironment({
        port: await findFreePort(),
        databaseUri: testDatabaseUri(),
        databaseName: database.name,
        simulator,
      }),
    );
  });
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  const healthy = async () => (await fetch(`${app.url}/healthz`)).status;

  it('answers an anonymous polling handshake once and stays up', async () => {
    const handshake = await fetch(`${app.url}/socket.io/?EIO=4&transport=polling`);
    expect(handshake.status).toBe(200);
    expect(await handshake.text()).toMatch(/^0\{"sid":/);
    const unknownSession = await fetch(`${app.url}/socket.io/?EIO=4&transport=polling&sid=nope`);
    expect(unknownSession.status).toBe(400);
    expect(await healthy()).toBe(200);
  });

  it('lets a logged-in browser connect with the default transports and refuses an anonymous one, staying up', async () => {
    const { cookie } = await loginThroughSimulator({
      appUrl: app.url,
      simulatorUrl: simulator.url,
      facebookUserId: '1001',
    });
    const connect = (headers: Record<string, string>) =>
      new Promise<{ socket: Socket; connected: boolean; error?: string }>((resolve) => {
        const socket = io(app.url, { extraHeaders: headers, reconnection: false });
        socket.once('connect', () => resolve({ socket, connected: true }));
        socket.once('connect_error', (error) => resolve({ socket, connected: false, error: error.message }));
      });

    const member = await connect({ cookie });
    expect(member.connected).toBe(true);
    const deadline = Date.now() + 10_000;
    while (member.socket.io.engine.transport.name !== 'websocket' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(member.socket.io.engine.transport.name).toBe('websocket');

    const anonymous = await connect({});
    expect(anonymous.connected).toBe(false);
    member.socket.close();
    anonymous.socket.close();
    expect(await healthy()).toBe(200);
    expect(app.output()).not.toMatch(/ERR_HTTP_HEADERS_SENT/);
  });
});
