import pino from 'pino';
import type { GraphClient } from '../../../server/facebook/graph-client';
import type { GraphOutcome } from '../../../server/facebook/graph-outcomes';
import type { PageCredentials, SendRequest } from '../../../server/facebook/graph-types';
import { createMessengerGateway } from '../../../server/facebook/messenger-gateway';
import { startSimulator, type Simulator } from '../../../simulator';
import { capturingLogger, clientFor, personWhoWrote, retriesLogged, textTo } from './graph-harness';

const shop: PageCredentials = { pageId: '100200400', accessToken: 'EAARefusalsShopToken' };
const seed = {
  pages: [{ id: shop.pageId, name: 'The Shop', accessToken: shop.accessToken, adminUserIds: [] }],
  people: [{ id: 'ana', firstName: 'Ana', lastName: 'Lima' }],
};

const marketingMessageTo = (token: string, text = 'This week only'): SendRequest => ({
  recipient: { notification_messages_token: token },
  messaging_type: 'UPDATE',
  message: { text },
});

async function refusalOf(send: Promise<unknown>): Promise<unknown> {
  return send.then(
    () => {
      throw new Error('the send was expected to fail');
    },
    (error: unknown) => error,
  );
}

describe('refusals that concern one person, not the Page, as the simulator answers them', () => {
  let sim: Simulator;
  let graph: GraphClient;
  let log: ReturnType<typeof capturingLogger>;
  let authProblems: [string, GraphOutcome][];

  beforeAll(async () => {
    sim = await startSimulator({ seed });
  });
  afterAll(() => sim.stop());

  beforeEach(async () => {
    await sim.control.reset();
    log = capturingLogger();
    authProblems = [];
    graph = clientFor(sim, log.logger, {
      onAuthProblem: (pageId, outcome) => authProblems.push([pageId, outcome]),
    });
  });

  async function marketingToken(): Promise<string> {
    await personWhoWrote(sim, 'ana', shop);
    const { notificationMessagesToken } = await sim.control.optIn('ana', shop.pageId, {
      type: 'notification_messages',
    });
    if (!notificationMessagesToken) throw new Error('the opt-in gave no token');
    return notificationMessagesToken;
  }

  test('a second marketing message inside the minimum gap is dropped without pausing the Page', async () => {
    const token = await marketingToken();
    const gateway = createMessengerGateway({
      graph: { ...clientOptions(sim), logger: log.logger },
      governor: { defaultRatePerSecond: 100, logger: pino({ level: 'silent' }) },
    });
    const send = () =>
      gateway.governor.run(shop.pageId, 'broadcast', () =>
        gateway.graph.sendMessage(shop, marketingMessageTo(token)),
      );
    await send();
    expect(await refusalOf(send())).toMatchObject({
      outcome: { kind: 'not_allowed_for_person' },
      code: 4,
      subcode: 2018354,
    });
    expect(retriesLogged(log.lines)).toBe(0);
    expect(gateway.governor.stats(shop.pageId)).toMatchObject({ sent: 1, pausedUntil: undefined });
    gateway.governor.close();
  });

  test('a person who stopped marketing messages refuses them without flagging the Page for re-auth', async () => {
    const token = await marketingToken();
    await sim.control.optIn('ana', shop.pageId, {
      type: 'notification_messages_status',
      status: 'STOP_NOTIFICATIONS',
    });
    expect(await refusalOf(graph.sendMessage(shop, marketingMessageTo(token)))).toMatchObject({
      outcome: { kind: 'not_allowed_for_person' },
      code: 10,
    });
    expect(authProblems).toEqual([]);
  });

  test('a PSID with no matching person is unavailable, not our bug', async () => {
    expect(await refusalOf(graph.sendMessage(shop, textTo('9999000011112222')))).toMatchObject({
      outcome: { kind: 'user_unavailable' },
      code: 100,
      subcode: 2018001,
    });
  });
});

function clientOptions(sim: Simulator) {
  return {
    baseUrl: sim.url,
    apiVersion: sim.apiVersion,
    appId: sim.appId,
    appSecret: sim.appSecret,
    timeoutMs: 2000,
    retry: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 50 },
  };
}

test('a missing permission answered as code 10 still flags the Page for re-auth', async () => {
  const sim = await startSimulator({ seed, policy: { missingPermissionCode: 10 } });
  try {
    const authProblems: string[] = [];
    const graph = clientFor(sim, pino({ level: 'silent' }), {
      onAuthProblem: (_pageId, outcome) => authProblems.push(outcome.kind),
    });
    const psid = await personWhoWrote(sim, 'ana', shop);
    await sim.control.revokePermission({ pageId: shop.pageId }, 'pages_messaging');
    expect(await refusalOf(graph.sendMessage(shop, textTo(psid)))).toMatchObject({
      outcome: { kind: 'permission_missing' },
      code: 10,
    });
    expect(authProblems).toEqual(['permission_missing']);
  } finally {
    await sim.stop();
  }
});
