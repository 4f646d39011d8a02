import { SubscriberModel, type SubscriberStatus } from '../../../models/subscriber';
import type { Seed, Simulator } from '../../../simulator/index';
import { Types } from 'mongoose';
import { PageModel } from '../../../models/page';
import type { Member } from '../../../server/accounts/authorization';
import { draftSchema, type BroadcastService } from '../../../server/broadcasts/service';
import { pageTokenBinding } from '../../../server/pages/page-access';
import { createTokenVault } from '../../../server/pages/token-vault';
import type { LoggedInUser, TestApp } from '../../support/app-harness';
import { findFreePort } from '../../../server/platform/database/free-port';
import { testDatabaseUri } from '../../support/database';
import {
  deploymentEnvironment,
  startPagewireProcess,
  type PagewireProcess,
} from '../../support/pagewire-process';
import { loginAndConnectPages } from '../../support/simulator-login';

/** Alice (1001) is admin of Pages 2001 and 2002; people are added per test. */
export const broadcastSeed: Seed = {
  users: [{ id: '1001', name: 'Alice Admin', email: 'alice@example.com' }],
  pages: [
    { id: '2001', name: 'Alice Shoes', accessToken: 'EAAShoes2001', adminUserIds: ['1001'] },
    { id: '2002', name: 'Alice Hats', accessToken: 'EAAHats2002', adminUserIds: ['1001'] },
  ],
};

export const broadcastAppConfig = { BROADCAST_LEASE_SECONDS: '4', GRAPH_TIMEOUT_MS: '1500' };

export interface Workspace {
  workspaceId: string;
  pageIds: Record<string, string>;
  /** The workspace's admin, as the service takes its caller. */
  member: Member;
  service: () => BroadcastService;
}

/** A workspace's admin as the service takes its caller, for tests that call the service directly. */
export const adminOf = (workspaceId: string, userId = new Types.ObjectId().toString()): Member => ({
  userId,
  workspaceId,
  role: 'admin',
  teamIds: [],
});

/**
 * A workspace with Pages 2001 and 2002 connected, written straight to the database (tokens sealed by the app's own
 * vault), so these tests depend on the broadcasts feature and not on the login flow.
 */
export async function connectWorkspace(app: TestApp): Promise<Workspace> {
  const vault = createTokenVault(app.config.TOKEN_ENCRYPTION_KEYS);
  const workspaceId = new Types.ObjectId();
  const pageIds: Record<string, string> = {};
  for (const seed of broadcastSeed.pages ?? []) {
    const _id = new Types.ObjectId();
    await PageModel.create({
      _id,
      workspace: workspaceId,
      fbPageId: seed.id,
      name: seed.name,
      accessToken: vault.encrypt(seed.accessToken ?? '', pageTokenBinding(_id.toString())),
      connectedBy: new Types.ObjectId(),
      connectedAt: new Date(),
    });
    pageIds[seed.id] = _id.toString();
  }
  return {
    workspaceId: workspaceId.toString(),
    pageIds,
    member: adminOf(workspaceId.toString()),
    service: () => app.server().broadcasts.service,
  };
}

export interface PersonSpec {
  id: string;
  fbPageId?: string;
  /** Writes to the Page in the simulator, so Meta's window is open (default true). */
  wrote?: boolean;
  /** Hours since the last interaction we recorded (default 1). */
  hoursAgo?: number;
  status?: SubscriberStatus;
  tags?: string[];
}

/** A subscriber of a workspace's Page as a person's first message leaves it, last heard from at `at`. */
export const subscriberRecord = (
  workspace: Pick<Workspace, 'workspaceId' | 'pageIds'>,
  fbPageId: string,
  psid: string,
  at: Date,
) => ({
  workspace: workspace.workspaceId,
  page: workspace.pageIds[fbPageId],
  fbPageId,
  psid,
  optIn: { source: 'message' as const, at },
  lastInteractionAt: at,
  status: 'subscribed' as SubscriberStatus,
  tags: [] as string[],
});

/** A subscriber in our database and, when `wrote`, a person whose window the simulator also knows is open. */
export async function addSubscriber(
  sim: Simulator,
  workspace: Pick<Workspace, 'workspaceId' | 'pageIds'>,
  spec: PersonSpec,
): Promise<string> {
  const fbPageId = spec.fbPageId ?? '2001';
  await sim.control.addPerson({ id: spec.id, firstName: spec.id, lastName: 'Test' });
  const psid =
    spec.wrote === false
      ? await sim.control.psidFor(spec.id, fbPageId)
      : (await sim.control.sendText(spec.id, fbPageId, 'hi')).psid;
  const at = new Date(Date.now() - (spec.hoursAgo ?? 1) * 3_600_000);
  await SubscriberModel.create({
    ...subscriberRecord(workspace, fbPageId, psid, at),
    status: spec.status ?? 'subscribed',
    tags: spec.tags ?? [],
  });
  return psid;
}

/** A promotion for promotional broadcasts; for an update tag, text fit for its purpose (Meta refuses a promotion). */
const contentFor = (body: Record<string, unknown>) => ({
  type: 'text',
  text: (body.purpose ?? 'promotional') === 'promotional' ? 'Sale!' : 'Your order has shipped.',
});

export async function createBroadcast(workspace: Workspace, body: Record<string, unknown>): Promise<string> {
  const draft = draftSchema.parse({
    name: 'Spring sale',
    pages: [workspace.pageIds['2001']],
    content: contentFor(body),
    purpose: 'promotional',
    ...body,
  });
  return (await workspace.service().create(workspace.member, draft))._id.toString();
}

export async function waitForState(
  workspace: Pick<Workspace, 'member' | 'service'>,
  broadcastId: string,
  states: string[],
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const broadcast = await workspace.service().get(workspace.member, broadcastId);
    if (states.includes(broadcast.state)) return broadcast;
    if (Date.now() > deadline)
      throw new Error(`broadcast still ${broadcast.state}: ${JSON.stringify(broadcast.totals)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function sentPsids(sim: Simulator, fbPageId = '2001'): Promise<string[]> {
  return (await sim.control.sentMessages({ pageId: fbPageId })).map((message) => message.psid ?? '').sort();
}

/** Alice logs in through the simulator and connects both Pages over REST: the workspace the HTTP tests act in. */
export async function loginAndConnect(app: TestApp): Promise<{ alice: LoggedInUser; workspace: Workspace }> {
  const alice = await app.login('1001');
  const connected = await alice.agent
    .post('/api/pages')
    .set(alice.csrf)
    .send({ fbPageIds: ['2001', '2002'] })
    .expect(201);
  const pageIds: Record<string, string> = {};
  for (const page of connected.body.data as { id: string; fbPageId: string }[])
    pageIds[page.fbPageId] = page.id;
  const me = (await alice.agent.get('/api/me').expect(200)).body as {
    workspace: { id: string };
    user: { id: string };
  };
  const workspaceId = me.workspace.id;
  return {
    alice,
    workspace: {
      workspaceId,
      pageIds,
      member: adminOf(workspaceId, me.user.id),
      service: () => app.server().broadcasts.service,
    },
  };
}

/** A draft created through POST /api/broadcasts, answering its id. */
export async function createOverHttp(
  user: LoggedInUser,
  workspace: Pick<Workspace, 'pageIds'>,
  body: Record<string, unknown> = {},
): Promise<string> {
  const res = await user.agent
    .post('/api/broadcasts')
    .set(user.csrf)
    .send({
      name: 'Spring sale',
      pages: [workspace.pageIds['2001']],
      content: contentFor(body),
      purpose: 'promotional',
      ...body,
    })
    .expect(201);
  return String(res.body._id);
}

/**
 * `count` people who each wrote to Page 2001 (the simulator knows their window is open) and their subscribers,
 * written in bulk as the webhooks would have left them: for audiences too large to add one by one.
 */
export async function addAudience(
  sim: Simulator,
  workspace: Pick<Workspace, 'workspaceId' | 'pageIds'>,
  count: number,
  prefix: string,
): Promise<void> {
  const people = Array.from({ length: count }, (_, i) => `${prefix}${i}`);
  const psids: string[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < people.length; i = next++) {
      await sim.control.addPerson({ id: people[i]!, firstName: people[i]!, lastName: 'Test' });
      psids[i] = (await sim.control.sendText(people[i]!, '2001', 'hi')).psid;
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  const at = new Date(Date.now() - 3_600_000);
  await SubscriberModel.insertMany(psids.map((psid) => subscriberRecord(workspace, '2001', psid, at)));
}

/**
 * Pagewire in its own process on the test database, sending at most `ratePerSecond` a Page, with Alice logged in and
 * Page 2001 connected. `env` starts the next process of the same deployment, as after a restart.
 */
export async function startBroadcastingProcess(
  simulator: Simulator,
  databaseName: string,
  ratePerSecond: number,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<{
  app: PagewireProcess;
  env: NodeJS.ProcessEnv;
  alice: LoggedInUser;
  workspace: Pick<Workspace, 'workspaceId' | 'pageIds'>;
}> {
  const env = {
    ...deploymentEnvironment({
      port: await findFreePort(),
      databaseUri: testDatabaseUri(),
      databaseName,
      simulator,
    }),
    PAGE_SEND_RATE_PER_SECOND: String(ratePerSecond),
    ...extraEnv,
  };
  const app = await startPagewireProcess(env);
  const { user: alice, connected } = await loginAndConnectPages(
    { appUrl: app.url, simulatorUrl: simulator.url, facebookUserId: '1001' },
    ['2001'],
  );
  if (connected.status !== 201) throw new Error(`connect failed: ${connected.status} ${connected.text}`);
  const workspace = {
    workspaceId: (await alice.agent.get('/api/me').expect(200)).body.workspace.id as string,
    pageIds: { '2001': connected.body.data[0].id as string },
  };
  return { app, env, alice, workspace };
}
