import { startSimulator, type Seed, type Simulator } from '../../../simulator/index';
import {
  startTestApp,
  type LoggedInUser,
  type PagewireSocket,
  type TestApp,
} from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { tenancySeed } from '../../support/tenancy-seed';
import type { ServerToClientEvents } from '../../../server/realtime/events';

/** Messenger users who write to the Pages of the tenancy seed. */
export const livechatSeed: Seed = {
  ...tenancySeed,
  people: [
    { id: 'p1', firstName: 'Pia', lastName: 'Person' },
    { id: 'p2', firstName: 'Paul', lastName: 'Writer' },
    { id: 'p3', firstName: 'Petra', lastName: 'Batch' },
    { id: 'p4', firstName: 'Pete', lastName: 'Stopper' },
    { id: 'p5', firstName: 'Pam', lastName: 'Twice' },
    { id: 'p6', firstName: 'Phil', lastName: 'Late' },
    { id: 'p7', firstName: 'Polly', lastName: 'Reader' },
    { id: 'p8', firstName: 'Quinn', lastName: 'Seen' },
  ],
};

export interface LiveChatWorld {
  simulator: Simulator;
  app: TestApp;
  alice: LoggedInUser;
  /** Alice's Page document id for the Facebook Page 2001. */
  shoesPageId: string;
  stop(): Promise<void>;
}

/**
 * The simulator as Meta, sending webhooks to the real app; Alice (admin of workspace A) has connected Page 2001.
 * `config` adds to the app's environment (`{ SANDBOX: '1' }` for the sandbox).
 */
export async function startLiveChatWorld(
  options: { config?: Record<string, string> } = {},
): Promise<LiveChatWorld> {
  const simulator = await startSimulator({ seed: livechatSeed });
  const app = await startTestApp({ simulator, ...options });
  await simulator.control.setWebhook({
    callbackUrl: `${app.url}/webhooks/facebook`,
    retryDelaysMs: [50, 100, 200],
  });
  const alice = await app.login('1001');
  const connected = await alice.agent
    .post('/api/pages')
    .set(alice.csrf)
    .send({ fbPageIds: ['2001'] });
  if (connected.status !== 201) throw new Error(`connect failed: ${connected.status} ${connected.text}`);
  const pages = (await alice.agent.get('/api/pages')).body.data as { id: string; fbPageId: string }[];
  const shoes = pages.find((page) => page.fbPageId === '2001');
  if (!shoes) throw new Error('Page 2001 not connected');
  return {
    simulator,
    app,
    alice,
    shoesPageId: shoes.id,
    async stop() {
      await app.stop();
      await simulator.stop();
    },
  };
}

/**
 * A test database and one world on it for a describe block: the world starts after the database connects and stops
 * before it is dropped (jest runs `afterAll` hooks in the order they are declared). The object is filled in when the
 * world has started, so read it inside hooks and tests.
 */
export function useLiveChatWorld(options: { config?: Record<string, string> } = {}): LiveChatWorld {
  const world = {} as LiveChatWorld;
  afterAll(() => world.stop());
  useTestDatabase();
  beforeAll(async () => {
    Object.assign(world, await startLiveChatWorld(options));
  }, 30_000);
  return world;
}

/** Resolves with the first event of that name that matches, or rejects after `timeoutMs`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: PagewireSocket,
  name: E,
  matches: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!matches(payload)) return;
      clearTimeout(timer);
      (socket.off as (event: string, fn: unknown) => void)(name, listener);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      (socket.off as (event: string, fn: unknown) => void)(name, listener);
      reject(new Error(`no ${name} within ${timeoutMs} ms`));
    }, timeoutMs);
    (socket.on as (event: string, fn: unknown) => void)(name, listener);
  });
}

/** Polls until `check` returns something truthy (webhooks are processed after the 200). */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
