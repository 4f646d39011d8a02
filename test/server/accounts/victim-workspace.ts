import mongoose from 'mongoose';
import { startSimulator, type Seed, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { approveOnXAds, connectXAds } from '../../support/simulator-login';
import { tenancySeed } from '../../support/tenancy-seed';
import { connectedAccountId } from '../x/x-harness';

/**
 * The workspace the authorization tests attack: Alice (admin) has connected 2001 (shared with the workspace), 2002
 * (private to Alice) and 2003 (a spare to disconnect); Carol is her agent, Dave her marketer, Erin a spare agent to
 * remove; Bob is the admin of another workspace. Every kind of object a `:id` route takes exists here for real, once on
 * the shared Page and once on the private one. Alice has also connected X Ads through the simulator's OAuth 1.0a flow
 * as X's Ad Manager (sealed tokens that X accepts): shared with the workspace, private to her, and a spare; and she
 * has approved one more on X without coming back yet (`xAdsReturn`: the callback's query).
 */
export const attackSeed: Seed = {
  ...tenancySeed,
  users: [...(tenancySeed.users ?? []), { id: '1005', name: 'Erin Spare', email: 'erin@example.com' }],
  pages: [...(tenancySeed.pages ?? []), { id: '2003', name: 'Alice Socks', adminUserIds: ['1001'] }],
  people: [
    { id: 'p1', firstName: 'Pia', lastName: 'Shared' },
    { id: 'p2', firstName: 'Paul', lastName: 'Hidden' },
    { id: 'p3', firstName: 'Sam', lastName: 'Spare' },
  ],
  adAccounts: [{ id: '7001', name: 'Alice ads', userIds: ['1001'] }],
};

/** The simulator's X user who is Ad Manager of its ads account. */
const X_AD_MANAGER = '7002';
/** Alice's two X accounts: one shared with the workspace, one spare to revoke. */
const attackXUsers = [
  { id: '1700000000000000001', username: 'aliceshoes', name: 'Alice Shoes on X', followersCount: 10 },
  { id: '1700000000000000002', username: 'alicespare', name: 'Alice Spare on X', followersCount: 5 },
];

export const fixtureNames = [
  'page',
  'hiddenPage',
  'sparePage',
  'admin',
  'member',
  'spareMember',
  'invitation',
  'conversation',
  'hiddenConversation',
  'subscriber',
  'hiddenSubscriber',
  'spareSubscriber',
  'broadcast',
  'broadcastSending',
  'broadcastPaused',
  'capture',
  'hiddenCapture',
  'spareCapture',
  'block',
  'hiddenBlock',
  'spareBlock',
  'rule',
  'hiddenRule',
  'spareRule',
  'apiKey',
  'webhookEndpoint',
  'spareWebhookEndpoint',
  'webhookDelivery',
  'sponsoredMessage',
  'hiddenSponsoredMessage',
  'xAdsConnection',
  'hiddenXAdsConnection',
  'spareXAdsConnection',
  'xAdsReturn',
  'autopostFeed',
  'spareAutopostFeed',
  'autopostDelivery',
  'xAccount',
  'spareXAccount',
  'xPost',
] as const;
export type FixtureName = (typeof fixtureNames)[number];
export type Fixtures = Record<FixtureName, string> & { workspace: string };

export interface VictimWorkspace {
  simulator: Simulator;
  app: TestApp;
  alice: LoggedInUser;
  bob: LoggedInUser;
  carol: LoggedInUser;
  /** Alice's marketer: automation on the Pages shared with the workspace, nothing of the team. */
  dave: LoggedInUser;
  fixtures: Fixtures;
  /** Bob's own Page 3001, for bodies that are valid for him. */
  outsiderPage: string;
  /** Waits until every webhook the simulator sent has been processed by the app. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export const draftBody = (pageId: string, name = 'Spring sale') => ({
  name,
  pages: [pageId],
  content: { type: 'text', text: `${name}: 20% off` },
  audience: {},
  purpose: 'promotional',
});
export const captureBody = (pageId: string, name = 'Prices') => ({
  page: pageId,
  target: { kind: 'any_post' },
  name,
  privateReply: { text: 'Our prices are in your inbox.' },
});
export const blockBody = (pageId: string, name = 'Opening hours') => ({
  page: pageId,
  name,
  content: { text: `${name}: 9–18` },
});
export const ruleBody = (pageId: string, blockId: string) => ({
  page: pageId,
  kind: 'keyword',
  keywordMode: 'any_of',
  keywords: ['hours'],
  block: blockId,
});

export const sponsoredBody = (pageId: string) => ({
  pageId,
  adAccountId: 'act_7001',
  name: 'Spring menu',
  text: 'Our spring menu is here',
  budget: { kind: 'daily', amount: 500 },
  startTime: '2020-01-01T00:00:00Z',
});
export const phoneInviteBody = (pageId: string) => ({
  pageId,
  numbers: '+12125550150',
  message: 'Come chat with us',
  consentAttested: true,
});

async function created(pending: PromiseLike<{ status: number; body: { _id?: string; id?: string } }>) {
  const res = await pending;
  const id = res.body._id ?? res.body.id;
  if (res.status !== 201 || !id)
    throw new Error(`fixture not created: ${res.status} ${JSON.stringify(res.body)}`);
  return id;
}

async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('fixture did not appear in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** `config` adds to the app's environment (`{ SANDBOX: '1' }` mounts the sandbox's routes too). */
export async function startVictimWorkspace(config: Record<string, string> = {}): Promise<VictimWorkspace> {
  const simulator = await startSimulator({ seed: attackSeed, x: { users: attackXUsers } });
  // Its webhook endpoints and autoposting feeds point at a closed port on loopback; every user owns X account
  // `x-fixture`, so that the owner's consent succeeds. With every feature flag on, so the flagged routes are
  // attacked too.
  const app = await startTestApp({
    simulator,
    config: {
      OUTGOING_WEBHOOKS_ALLOW_PRIVATE: 'true',
      FEATURE_SPONSORED_MESSAGES: 'true',
      FEATURE_PHONE_INVITES: 'true',
      AUTOPOSTING_ALLOW_PRIVATE_FEEDS: 'true',
      AUTOPOSTING_FETCH_RETRIES: '0',
      ...config,
    },
    xStandingShare: {
      isOwnedBy: (_workspaceId, _userId, xAccountId) => Promise.resolve(xAccountId === 'x-fixture'),
      usernamesOf: () => Promise.resolve(new Map()),
      post: () => Promise.reject(new Error('no X posts in the authorization tests')),
      sharesOf: () => Promise.resolve(new Map()),
    },
  });
  await simulator.control.setWebhook({ callbackUrl: `${app.url}/webhooks/facebook`, retryDelaysMs: [50] });
  const alice = await app.login('1001');
  const bob = await app.login('1002');
  const connected = await alice.agent
    .post('/api/pages')
    .set(alice.csrf)
    .send({ fbPageIds: ['2001', '2002', '2003'] });
  const byFbId = new Map<string, string>(
    (connected.body.data as { id: string; fbPageId: string }[]).map((page) => [page.fbPageId, page.id]),
  );
  const [page, hiddenPage, sparePage] = ['2001', '2002', '2003'].map((id) => byFbId.get(id) ?? '');
  if (!page || !hiddenPage || !sparePage) throw new Error('three Pages expected');
  await alice.agent.patch(`/api/pages/${hiddenPage}`).set(alice.csrf).send({ scope: 'private' }).expect(200);
  const bobsPages = await bob.agent
    .post('/api/pages')
    .set(bob.csrf)
    .send({ fbPageIds: ['3001'] })
    .expect(201);
  const outsiderPage = (bobsPages.body.data as { id: string }[])[0]?.id ?? '';
  const invite = async (role: 'agent' | 'marketer') =>
    (await alice.agent.post('/api/invitations').set(alice.csrf).send({ role })).body as {
      id: string;
      url: string;
    };
  const carol = await app.login('1003', { invitationUrl: (await invite('agent')).url });
  const dave = await app.login('1004', { invitationUrl: (await invite('marketer')).url });
  const erin = await app.login('1005', { invitationUrl: (await invite('agent')).url });
  const [aliceMe, carolMe, erinMe] = await Promise.all([
    alice.agent.get('/api/me'),
    carol.agent.get('/api/me'),
    erin.agent.get('/api/me'),
  ]);

  const settled = async () => {
    await simulator.control.waitForWebhookIdle();
    await app.server().webhooks.processor.idle();
  };
  // The spare person (to erase) writes first, so the newest conversation of the Page stays the shared one.
  await simulator.control.sendText('p3', '2001', 'hello, erase me later');
  await settled();
  await simulator.control.sendText('p1', '2001', 'hello shoes');
  await simulator.control.sendText('p2', '2002', 'hello hats');
  await settled();
  const inbox = (pageId: string) =>
    eventually(async () => {
      const res = await alice.agent.get(`/api/conversations?pageId=${pageId}`);
      const [conversation] = res.body.data as { id: string; subscriberId: string }[];
      return conversation;
    });
  const [shared, hidden] = [await inbox(page), await inbox(hiddenPage)];
  const spare = (await alice.agent.get(`/api/conversations?pageId=${page}`)).body.data.find(
    (conversation: { id: string }) => conversation.id !== shared.id,
  ) as { subscriberId: string };

  const post = (path: string, body: object) => alice.agent.post(path).set(alice.csrf).send(body);
  const broadcast = () => created(post('/api/broadcasts', draftBody(page)));
  const [block, hiddenBlock, spareBlock] = [
    await created(post('/api/bot/blocks', blockBody(page))),
    await created(post('/api/bot/blocks', blockBody(hiddenPage))),
    await created(post('/api/bot/blocks', blockBody(page, 'Spare'))),
  ];
  const endpoint = async () =>
    (
      await post('/api/webhook-endpoints', {
        url: 'http://127.0.0.1:1/hooks',
        events: ['broadcast.completed'],
      })
    ).body.endpoint.id as string;
  const webhookEndpoint = await endpoint();
  const autopostFeed = async () =>
    created(
      post('/api/autoposting/feeds', {
        name: 'Shop news',
        url: 'http://127.0.0.1:1/feed.xml',
        page,
        targets: ['page_feed'],
      }),
    );
  const webhookDelivery = new mongoose.Types.ObjectId();
  await mongoose.connection.db?.collection('outgoingwebhookdeliveries').insertOne({
    _id: webhookDelivery,
    workspace: new mongoose.Types.ObjectId(String(aliceMe.body.workspace.id)),
    endpoint: new mongoose.Types.ObjectId(webhookEndpoint),
    eventId: 'evt_fixture',
    type: 'broadcast.completed',
    body: '{}',
    status: 'failed',
    runAttempts: 3,
    attempts: [],
    nextAttemptAt: null,
    deliveredAt: null,
    createdAt: new Date(),
  });
  const xAccount = await connectedAccountId(alice, '1700000000000000001');
  await alice.agent
    .patch(`/api/x/accounts/${xAccount}`)
    .set(alice.csrf)
    .send({ scope: 'workspace' })
    .expect(200);
  const tomorrow = new Date(app.clock.now().getTime() + 86_400_000).toISOString();
  const fixtures: Fixtures = {
    workspace: aliceMe.body.workspace.id,
    xAccount,
    spareXAccount: await connectedAccountId(alice, '1700000000000000002'),
    xPost: await created(
      post(`/api/x/accounts/${xAccount}/posts`, { text: 'Scheduled for the table', scheduledFor: tomorrow }),
    ),
    page,
    hiddenPage,
    sparePage,
    admin: aliceMe.body.user.id,
    member: carolMe.body.user.id,
    spareMember: erinMe.body.user.id,
    invitation: (await invite('agent')).id,
    conversation: shared.id,
    hiddenConversation: hidden.id,
    subscriber: shared.subscriberId,
    hiddenSubscriber: hidden.subscriberId,
    spareSubscriber: spare.subscriberId,
    broadcast: await broadcast(),
    broadcastSending: await broadcast(),
    broadcastPaused: await broadcast(),
    capture: await created(post('/api/captures', captureBody(page))),
    hiddenCapture: await created(post('/api/captures', captureBody(hiddenPage))),
    spareCapture: await created(post('/api/captures', captureBody(page, 'Spare'))),
    block,
    hiddenBlock,
    spareBlock,
    rule: await created(post('/api/bot/rules', ruleBody(page, block))),
    hiddenRule: await created(post('/api/bot/rules', ruleBody(hiddenPage, hiddenBlock))),
    spareRule: await created(post('/api/bot/rules', ruleBody(page, block))),
    apiKey: await created(post('/api/api-keys', { name: 'CRM', scopes: ['read'] })),
    webhookEndpoint,
    spareWebhookEndpoint: await endpoint(),
    webhookDelivery: webhookDelivery.toString(),
    sponsoredMessage: await created(post('/api/sponsored-messages', sponsoredBody(page))),
    hiddenSponsoredMessage: await created(post('/api/sponsored-messages', sponsoredBody(hiddenPage))),
    xAdsConnection: await connectXAds(alice, X_AD_MANAGER, { name: 'Alice Ads' }),
    hiddenXAdsConnection: await connectXAds(alice, X_AD_MANAGER, {
      name: 'Alice Ads (private)',
      sharing: { scope: 'private' },
    }),
    spareXAdsConnection: await connectXAds(alice, X_AD_MANAGER, { name: 'Spare Ads' }),
    xAdsReturn: new URL(
      (await approveOnXAds(alice, X_AD_MANAGER, { name: 'Pending Ads' })).returnPath,
      app.url,
    ).search,
    autopostFeed: await autopostFeed(),
    spareAutopostFeed: await autopostFeed(),
    autopostDelivery: '',
  };
  // What a process that stopped mid-send leaves, once marked: an interrupted delivery of the feed's item.
  const autopostItem = new mongoose.Types.ObjectId();
  const autopostDelivery = new mongoose.Types.ObjectId();
  const workspaceId = new mongoose.Types.ObjectId(fixtures.workspace);
  await mongoose.connection.db?.collection('autopostitems').insertOne({
    _id: autopostItem,
    workspace: workspaceId,
    feed: new mongoose.Types.ObjectId(fixtures.autopostFeed),
    key: 'interrupted-item',
    title: 'Interrupted item',
    link: null,
    summary: '',
    publishedAt: null,
    baseline: false,
    seenAt: new Date(),
    settledAt: new Date(),
  });
  await mongoose.connection.db?.collection('autopostdeliveries').insertOne({
    _id: autopostDelivery,
    workspace: workspaceId,
    feed: new mongoose.Types.ObjectId(fixtures.autopostFeed),
    item: autopostItem,
    target: 'page_feed',
    status: 'interrupted',
    externalId: null,
    xShareId: null,
    detail: 'Pagewire stopped while sending this.',
    basis: null,
    at: new Date(),
  });
  fixtures.autopostDelivery = autopostDelivery.toString();
  // Pausing and resuming need a broadcast caught mid-send; a real send to one person finishes too fast to catch.
  const broadcasts = mongoose.connection.db?.collection('broadcasts');
  await broadcasts?.updateOne(
    { _id: new mongoose.Types.ObjectId(fixtures.broadcastSending) },
    { $set: { state: 'sending' } },
  );
  await broadcasts?.updateOne(
    { _id: new mongoose.Types.ObjectId(fixtures.broadcastPaused) },
    { $set: { state: 'paused' } },
  );
  return {
    simulator,
    app,
    alice,
    bob,
    carol,
    dave,
    fixtures,
    outsiderPage,
    settled,
    async stop() {
      await app.stop();
      await simulator.stop();
    },
  };
}
