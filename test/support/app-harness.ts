/**
 * The whole product, started for a test on the test file's database, logging in through the simulator.
 *
 *   useTestDatabase();
 *   const simulator = await startSimulator({ seed });
 *   const app = await startTestApp({ simulator });          // startServer with the simulator's URLs, a free port
 *   const alice = await app.login('1001');                   // Facebook Login via the simulator's OAuth dialog
 *   await alice.agent.get('/api/me');                        // a supertest agent keeping the session cookie
 *   await alice.agent.post('/api/pages').set(alice.csrf).send({ fbPageIds: ['2001'] });
 *   const socket = await app.socketFor(alice);               // socket.io-client on the same session
 *   app.logs();                                              // everything the product logged, as text
 *   await app.restart();                                     // stop and start again on the same database and port
 *   await app.restart({ TOKEN_ENCRYPTION_KEYS: [...] });     // ... with some settings changed (a key rotation)
 *   await app.stop();
 *
 * `login(facebookUserId, { invitationUrl })` follows an invitation link first. The simulator must seed the user.
 */
import { Writable } from 'node:stream';
import mongoose from 'mongoose';
import { io, type Socket } from 'socket.io-client';
import type { Simulator } from '../../simulator/index';
import type { XStandingShare } from '../../server/autoposting/x-standing-share';
import type { Config } from '../../server/config';
import { AdjustableClock, type Clock } from '../../server/platform/clock';
import { findFreePort } from '../../server/platform/database/free-port';
import { createLogger } from '../../server/platform/logger';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/realtime/events';
import { startServer, type RunningServer } from '../../server/server';
import { simulatorVariables, testConfig } from './config';
import { stopBeforeDatabaseCloses } from './database';
import { loginThroughSimulator, type LoggedInUser } from './simulator-login';

export type PagewireSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type { LoggedInUser } from './simulator-login';

/** socket.io-client on a logged-in user's session cookie, as the dashboard connects (websocket, no reconnection). */
export function connectAgentSocket(
  appUrl: string,
  cookie: string,
): { socket: PagewireSocket; connected: Promise<PagewireSocket> } {
  const socket: PagewireSocket = io(appUrl, {
    transports: ['websocket'],
    extraHeaders: { cookie },
    forceNew: true,
    reconnection: false,
  });
  const connected = new Promise<PagewireSocket>((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
  return { socket, connected };
}

export interface TestApp {
  url: string;
  config: Config;
  clock: AdjustableClock;
  server(): RunningServer;
  logs(): string;
  login(facebookUserId: string, options?: { invitationUrl?: string }): Promise<LoggedInUser>;
  socketFor(user: Pick<LoggedInUser, 'cookie'>): Promise<PagewireSocket>;
  restart(changes?: Partial<Config>): Promise<void>;
  stop(): Promise<void>;
}

export interface TestAppOptions {
  simulator: Simulator;
  config?: Record<string, string>;
  clock?: AdjustableClock;
  /** Stands in for X connections' side of autoposting's X shares (server/autoposting/x-standing-share.ts). */
  xStandingShare?: XStandingShare;
}

function captureLogs() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), text: () => lines.join('') };
}

export async function startTestApp({
  simulator,
  config: overrides = {},
  clock,
  xStandingShare,
}: TestAppOptions): Promise<TestApp> {
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  let config = testConfig({
    PORT: String(port),
    PUBLIC_URL: url,
    ...simulatorVariables(simulator),
    ...overrides,
  });
  const appClock = clock ?? new AdjustableClock();
  const logs = captureLogs();
  const start = () =>
    startServer({
      config,
      logger: logs.logger,
      clock: appClock as Clock,
      db: mongoose.connection,
      ...(xStandingShare ? { xStandingShare } : {}),
    });
  let running = await start();
  const sockets: PagewireSocket[] = [];
  const stop = stopBeforeDatabaseCloses(async () => {
    for (const socket of sockets) socket.disconnect();
    await running.stop();
  });

  async function login(facebookUserId: string, options: { invitationUrl?: string } = {}) {
    try {
      return await loginThroughSimulator({
        appUrl: url,
        simulatorUrl: simulator.url,
        facebookUserId,
        ...options,
      });
    } catch (error) {
      const errors = logs
        .text()
        .split('\n')
        .filter((line) => line.includes('"level":50'));
      throw new Error(`${(error as Error).message}\n${errors.join('\n')}`);
    }
  }

  function socketFor({ cookie }: Pick<LoggedInUser, 'cookie'>): Promise<PagewireSocket> {
    const { socket, connected } = connectAgentSocket(url, cookie);
    sockets.push(socket);
    return connected;
  }

  return {
    url,
    get config() {
      return config;
    },
    clock: appClock,
    server: () => running,
    logs: logs.text,
    login,
    socketFor,
    async restart(changes = {}) {
      await running.stop();
      config = { ...config, ...changes };
      running = await start();
    },
    stop,
  };
}
