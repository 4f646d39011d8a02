/**
 * Every /api route, tried as someone who must not get it: no session, a user of another workspace, an agent where an
 * admin or automation is needed, a marketer where an admin is needed, or a member on a Page they may not see. Each `:id` is a real object of the right kind in the victim
 * workspace (see victim-workspace.ts) and each body is valid, so a 404 or 403 can only come from the access check; the
 * owner then makes the same requests and gets 2xx, which proves it. The route list is read from the running app, so
 * a route missing from `routes` below fails this test: add yours with the access it needs. Socket events are in
 * authorization-sockets.test.ts.
 */
import request from 'supertest';
import { apiKeyScopes, type ApiKeyScope } from '../../../models/api-key';
import { listMountedRoutes } from '../../../server/platform/http/route-inventory';
import type { LoggedInUser } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import {
  blockBody,
  captureBody,
  draftBody,
  phoneInviteBody,
  ruleBody,
  sponsoredBody,
  startVictimWorkspace,
  type FixtureName,
  type Fixtures,
  type VictimWorkspace,
} from './victim-workspace';

/** `marketing`: admins and marketers (broadcasts, the bot, the Messenger Profile, captures); a marketer sees Pages as
 * agents do. `initiator`: an OAuth return, only for the member who started the authorization and with the token the
 * provider issued for it; anyone else, and any forged or missing token, is refused. */
type Access = 'public' | 'member' | 'admin' | 'page' | 'page-admin' | 'marketing' | 'initiator';
interface Row {
  access: Access;
  /** The fixture `:id` names; by default the object of the route's kind on the shared Page. */
  id?: FixtureName;
  /** The fixture that is the route's query string (`?...`). */
  query?: FixtureName;
  /** Where the owner is sent, for a route that answers with a redirect (303) rather than a 2xx. */
  redirectsTo?: string;
  /** Where anyone refused is sent, for a browser's landing route that tells the refusal on a screen (303). */
  refusesTo?: string;
  /** A body that succeeds for the owner (the owner's calls run in table order, so later rows see earlier effects). */
  body?: object | ((fixtures: Fixtures) => object);
}

/** `METHOD /path` → who may call it, and a body that would succeed for them. */
const routes: Record<string, Row> = {
  'GET /api/permissions': { access: 'public' },
  'GET /api/csrf-token': { access: 'public' },
  // The OpenAPI document and its reference page (test/server/platform/openapi-document.test.ts).
  'GET /api/openapi.json': { access: 'public' },
  'GET /api/docs': { access: 'public' },
  // Outside the sandbox, only whether it is one (test/server/sandbox covers the sandbox's routes).
  'GET /api/sandbox': { access: 'public' },
  'GET /api/me': { access: 'member' },
  'GET /api/workspaces': { access: 'member' },
  'POST /api/session/workspace': { access: 'member', body: (f) => ({ workspaceId: f.workspace }) },
  'GET /api/members': { access: 'member' },
  'GET /api/teams': { access: 'member' },
  'PATCH /api/members/:userId': { access: 'admin', body: { role: 'agent' } },
  'GET /api/members/:userId/pages': { access: 'admin' },
  'DELETE /api/members/:userId': { access: 'admin', id: 'spareMember' },
  'GET /api/invitations': { access: 'admin' },
  'POST /api/invitations': { access: 'admin', body: { role: 'admin' } },
  'DELETE /api/invitations/:id': { access: 'admin' },
  'GET /api/api-keys': { access: 'admin' },
  'POST /api/api-keys': { access: 'admin', body: { name: 'Shop', scopes: ['read', 'broadcasts'] } },
  'DELETE /api/api-keys/:id': { access: 'admin' },
  'GET /api/pages/available': { access: 'admin' },
  'GET /api/pages': { access: 'member' },
  'POST /api/pages': { access: 'admin', body: { fbPageIds: ['2001'] } },
  'GET /api/pages/:id': { access: 'page' },
  'PATCH /api/pages/:id': { access: 'page-admin', body: { scope: 'workspace' } },
  'DELETE /api/pages/:id': { access: 'page-admin', id: 'sparePage' },
  'POST /api/pages/:id/automation-pause': { access: 'page-admin', body: { note: 'Stock count' } },
  'DELETE /api/pages/:id/automation-pause': { access: 'page-admin' },
  // Live chat: conversations of Pages the member can see.
  'GET /api/conversations': { access: 'member' },
  'GET /api/conversations/:id': { access: 'member' },
  'GET /api/conversations/:id/messages': { access: 'member' },
  'POST /api/conversations/:id/messages': { access: 'member', body: { type: 'text', text: 'Hello!' } },
  'POST /api/conversations/:id/sender-actions': { access: 'member', body: { action: 'typing_on' } },
  'POST /api/conversations/:id/presence': { access: 'member', body: { viewing: true } },
  'POST /api/conversations/:id/assign': { access: 'member', body: (f) => ({ assigneeId: f.admin }) },
  'POST /api/conversations/:id/unassign': { access: 'member' },
  'POST /api/conversations/:id/resolve': { access: 'member' },
  'POST /api/conversations/:id/reopen': { access: 'member' },
  'POST /api/conversations/:id/claim': { access: 'member' },
  'POST /api/conversations/:id/notes': { access: 'member', body: { text: 'Asked about sizes.' } },
  // Broadcasts: admins and marketers (a marketer's 2xx is in test/server/broadcasts/broadcast-access.test.ts).
  'GET /api/broadcasts': { access: 'marketing' },
  'POST /api/broadcasts': { access: 'marketing', body: (f) => draftBody(f.page, 'Another sale') },
  'POST /api/broadcasts/estimate': {
    access: 'marketing',
    body: (f) => ({ pages: [f.page], audience: {}, purpose: 'promotional' }),
  },
  'POST /api/broadcasts/content-check': {
    access: 'marketing',
    body: { content: { type: 'text', text: 'Hi' } },
  },
  'GET /api/broadcasts/audience-options': { access: 'marketing' },
  'GET /api/broadcasts/:id': { access: 'marketing' },
  'GET /api/broadcasts/:id/results': { access: 'marketing' },
  'GET /api/broadcasts/:id/recipients': { access: 'marketing' },
  'PUT /api/broadcasts/:id': { access: 'marketing', body: (f) => draftBody(f.page, 'Edited sale') },
  'GET /api/broadcasts/:id/estimate': { access: 'marketing' },
  'POST /api/broadcasts/:id/schedule': {
    access: 'marketing',
    body: { localTime: '2099-03-01T09:00', timeZone: 'Europe/Paris' },
  },
  'POST /api/broadcasts/:id/send': { access: 'marketing' },
  'POST /api/broadcasts/:id/pause': { access: 'marketing', id: 'broadcastSending' },
  'POST /api/broadcasts/:id/resume': { access: 'marketing', id: 'broadcastPaused' },
  'POST /api/broadcasts/:id/cancel': { access: 'marketing', id: 'broadcastSending' },
  // Sponsored messages and phone invitations (behind their flags, on here): marketing.
  'GET /api/sponsored-messages': { access: 'marketing' },
  'GET /api/sponsored-messages/ad-accounts': { access: 'marketing' },
  'POST /api/sponsored-messages': { access: 'marketing', body: (f) => sponsoredBody(f.page) },
  'GET /api/sponsored-messages/:id': { access: 'marketing' },
  'POST /api/sponsored-messages/:id/refresh': { access: 'marketing' },
  'POST /api/sponsored-messages/:id/pause': { access: 'marketing' },
  'GET /api/phone-invites': { access: 'marketing' },
  'POST /api/phone-invites': { access: 'marketing', body: (f) => phoneInviteBody(f.page) },
  // Comment capture and the bot: marketing, for admins and marketers.
  'GET /api/captures': { access: 'marketing' },
  'GET /api/captures/:id': { access: 'marketing' },
  'GET /api/captures/posts/:pageId': { access: 'marketing' },
  'GET /api/captures/:id/outcomes': { access: 'marketing' },
  'POST /api/captures': { access: 'marketing', body: (f) => captureBody(f.page, 'Another capture') },
  'PATCH /api/captures/:id': { access: 'marketing', body: { name: 'Renamed capture' } },
  'DELETE /api/captures/:id': { access: 'marketing', id: 'spareCapture' },
  'GET /api/bot/blocks': { access: 'marketing' },
  'GET /api/bot/blocks/:id': { access: 'marketing' },
  'POST /api/bot/blocks': { access: 'marketing', body: (f) => blockBody(f.page, 'Another block') },
  'PATCH /api/bot/blocks/:id': { access: 'marketing', body: { name: 'Renamed block' } },
  'DELETE /api/bot/blocks/:id': { access: 'marketing', id: 'spareBlock' },
  'POST /api/bot/content/check': { access: 'marketing', body: { content: { text: 'Hello' } } },
  'PUT /api/bot/rules/order': {
    access: 'marketing',
    body: (f) => ({ page: f.page, ruleIds: [f.rule, f.spareRule] }),
  },
  'GET /api/bot/flow/:pageId': { access: 'marketing' },
  'GET /api/bot/rules': { access: 'marketing' },
  'GET /api/bot/rules/:id': { access: 'marketing' },
  'POST /api/bot/rules': { access: 'marketing', body: (f) => ruleBody(f.page, f.block) },
  'PATCH /api/bot/rules/:id': { access: 'marketing', body: { priority: 5 } },
  'DELETE /api/bot/rules/:id': { access: 'marketing', id: 'spareRule' },
  'GET /api/bot/profile/:pageId': { access: 'marketing' },
  'PUT /api/bot/profile/:pageId': { access: 'marketing', body: { greeting: 'Welcome to Alice Shoes!' } },
  'POST /api/bot/profile/greeting/check': { access: 'marketing', body: { greeting: 'Welcome!' } },
  // The Overview: every member, over the Pages they see; running broadcasts for those who follow broadcasts.
  'GET /api/overview/activity': { access: 'member' },
  'GET /api/overview/first-response': { access: 'member' },
  'GET /api/overview/subscribers': { access: 'member' },
  'GET /api/overview/waiting': { access: 'member' },
  'GET /api/overview/broadcasts': { access: 'marketing' },
  // Compliance: the audit log, its export and the charts, for admins.
  'GET /api/audit': { access: 'admin' },
  // Outgoing webhooks: the workspace's admins.
  'GET /api/webhook-endpoints': { access: 'admin' },
  'POST /api/webhook-endpoints': {
    access: 'admin',
    body: { url: 'http://127.0.0.1:1/hooks', events: ['subscriber.opted_in'] },
  },
  'PATCH /api/webhook-endpoints/:id': { access: 'admin', body: { events: ['broadcast.completed'] } },
  'DELETE /api/webhook-endpoints/:id': { access: 'admin', id: 'spareWebhookEndpoint' },
  'POST /api/webhook-endpoints/:id/rotate-secret': { access: 'admin' },
  'GET /api/webhook-endpoints/:id/deliveries': { access: 'admin' },
  'POST /api/webhook-deliveries/:id/replay': { access: 'admin' },
  // Autoposting: the workspace's admins; an X consent is the account owner's own act, never a key's.
  'GET /api/autoposting/feeds': { access: 'admin' },
  'POST /api/autoposting/feeds': {
    access: 'admin',
    body: (f) => ({
      name: 'Shop news',
      url: 'http://127.0.0.1:1/feed.xml',
      page: f.page,
      targets: ['page_feed'],
    }),
  },
  'PATCH /api/autoposting/feeds/:id': { access: 'admin', body: { name: 'Renamed feed' } },
  'DELETE /api/autoposting/feeds/:id': { access: 'admin', id: 'spareAutopostFeed' },
  'POST /api/autoposting/feeds/:id/poll': { access: 'admin' },
  'GET /api/autoposting/feeds/:id/items': { access: 'admin' },
  'POST /api/autoposting/deliveries/:id/send-again': { access: 'admin' },
  'PUT /api/autoposting/feeds/:id/x-consent': {
    access: 'admin',
    body: { xAccountId: 'x-fixture', agreed: true },
  },
  'DELETE /api/autoposting/feeds/:id/x-consent': { access: 'admin' },
  'GET /api/audit/export': { access: 'admin' },
  'GET /api/compliance/refusals': { access: 'admin' },
  'GET /api/compliance/opt-outs': { access: 'admin' },
  // Subscribers of the Pages the member can see.
  'GET /api/subscribers': { access: 'member' },
  'GET /api/subscribers/export.csv': { access: 'admin' },
  'GET /api/subscribers/:id': { access: 'member' },
  'GET /api/subscribers/:id/export': { access: 'admin' },
  'DELETE /api/subscribers/:id': { access: 'admin', id: 'spareSubscriber' },
  'PUT /api/subscribers/:id/tags': { access: 'member', body: { tags: ['vip'] } },
  'PATCH /api/subscribers/:id/custom-fields': { access: 'member', body: { customFields: { city: 'Lyon' } } },
  // X Ads connections, shared like Pages; only an admin or who connected one may change it (test/server/x-ads).
  'GET /api/x-ads/roles': { access: 'member' },
  'GET /api/x-ads/connections': { access: 'member' },
  'POST /api/x-ads/connections': { access: 'marketing', body: { name: 'More ads' } },
  'GET /api/x-ads/callback': {
    access: 'initiator',
    query: 'xAdsReturn',
    redirectsTo: '/x-ads?connected=',
    refusesTo: '/x-ads?error=',
  },
  'GET /api/x-ads/connections/:id': { access: 'member' },
  'PATCH /api/x-ads/connections/:id': { access: 'member', body: { name: 'Renamed ads' } },
  'DELETE /api/x-ads/connections/:id': { access: 'member', id: 'spareXAdsConnection' },
  'GET /api/x-ads/connections/:id/metrics': { access: 'member' },
  'POST /api/x-ads/connections/:id/pull': { access: 'marketing' },
  // X accounts: each member's own, seen by sharing like Pages; sessions only (an API key cannot give the owner's
  // consent). Owner-only actions are in test/server/x/.
  'GET /api/x/scopes': { access: 'public' },
  'GET /api/x/accounts': { access: 'member' },
  'POST /api/x/accounts/connect': { access: 'member' },
  'GET /api/x/accounts/:id': { access: 'member' },
  'GET /api/x/accounts/:id/report': { access: 'member' },
  'PATCH /api/x/accounts/:id': { access: 'member', body: { scope: 'workspace' } },
  'POST /api/x/accounts/:id/posts': { access: 'member', body: { text: 'Posted by the authorization table' } },
  'POST /api/x/compose/check': { access: 'member', body: { text: 'Hello' } },
  'GET /api/x/posts': { access: 'member' },
  'GET /api/x/posts/:id': { access: 'member' },
  'POST /api/x/posts/:id/cancel': { access: 'member' },
  'DELETE /api/x/accounts/:id': { access: 'member', id: 'spareXAccount' },
};

/** The fixture a route's `:id` takes unless its row names one: the object of that kind on the shared Page. */
const kindOfPath: [string, FixtureName][] = [
  ['/api/pages/', 'page'],
  ['/api/members/', 'member'],
  ['/api/invitations/', 'invitation'],
  ['/api/api-keys/', 'apiKey'],
  ['/api/conversations/', 'conversation'],
  ['/api/broadcasts/', 'broadcast'],
  ['/api/captures/', 'capture'],
  ['/api/bot/blocks/', 'block'],
  ['/api/bot/rules/', 'rule'],
  ['/api/subscribers/', 'subscriber'],
  ['/api/webhook-endpoints/', 'webhookEndpoint'],
  ['/api/webhook-deliveries/', 'webhookDelivery'],
  ['/api/sponsored-messages/', 'sponsoredMessage'],
  ['/api/x-ads/connections/', 'xAdsConnection'],
  ['/api/autoposting/feeds/', 'autopostFeed'],
  ['/api/autoposting/deliveries/', 'autopostDelivery'],
  ['/api/x/accounts/', 'xAccount'],
  ['/api/x/posts/', 'xPost'],
];
/** The same kind of object on the Page that is private to Alice, for an agent who is not its owner. */
const hiddenTwin: Partial<Record<FixtureName, FixtureName>> = {
  page: 'hiddenPage',
  conversation: 'hiddenConversation',
  subscriber: 'hiddenSubscriber',
  capture: 'hiddenCapture',
  block: 'hiddenBlock',
  rule: 'hiddenRule',
  sponsoredMessage: 'hiddenSponsoredMessage',
  xAdsConnection: 'hiddenXAdsConnection',
};
const hiddenFixtures = Object.values(hiddenTwin);

function idFor(key: string, hidden = false): FixtureName {
  const row = routes[key];
  const template = key.split(' ')[1] ?? '';
  const kind = row?.id ?? kindOfPath.find(([prefix]) => template.startsWith(prefix))?.[1];
  if (!kind) throw new Error(`no fixture for the :id of ${key}; name one in its row`);
  return hidden ? (hiddenTwin[kind] ?? kind) : kind;
}

const hasId = (key: string) => key.includes(':');
/** Whether the route's `:id` or `:pageId` has a twin on the private Page (a spare to delete has none). */
const hasHiddenTwin = (key: string) =>
  key.includes(':pageId') || (key.includes(':id') && idFor(key, true) !== idFor(key));
const isAdminOnly = (key: string) => ['admin', 'page-admin'].includes(routes[key]?.access ?? '');
const isMarketing = (key: string) => routes[key]?.access === 'marketing';
const refusesAgents = (key: string) => isAdminOnly(key) || isMarketing(key);
const isInitiatorOnly = (key: string) => routes[key]?.access === 'initiator';
/** Refused as `status` says, or, on a landing route, sent to the screen that tells the refusal. */
const refusal = (key: string, res: { status: number; headers: Record<string, unknown> }, status: number) => {
  const refusesTo = routes[key]?.refusesTo;
  if (!refusesTo) return res.status;
  return res.status === 303 && String(res.headers.location).startsWith(refusesTo) ? status : res.status;
};

/**
 * What an API key needs, restated by area from server/api-keys/key-scopes.ts (which lists each route): an area's
 * routes need its scope, and `read` opens every GET a key may make. Anything else is for sessions only.
 */
const keyAreas: [string, ApiKeyScope][] = [
  ['/api/conversations', 'conversations'],
  ['/api/broadcasts', 'broadcasts'],
  ['/api/captures', 'automation'],
  ['/api/bot', 'automation'],
  ['/api/pages/:id/automation-pause', 'automation'],
  ['/api/subscribers', 'subscribers'],
  ['/api/sponsored-messages', 'broadcasts'],
  ['/api/phone-invites', 'broadcasts'],
  ['/api/autoposting', 'automation'],
];
/** In a key's area, but acting with the member's own Facebook grant, which a key does not carry. */
const sessionOnlyInArea = ['GET /api/sponsored-messages/ad-accounts', 'POST /api/sponsored-messages'];
function keyNeeds(key: string): ApiKeyScope | 'public' | 'session' {
  const [method, path = ''] = key.split(' ');
  if (key === 'GET /api/csrf-token' || sessionOnlyInArea.includes(key) || path.endsWith('/x-consent')) {
    return 'session';
  }
  if (routes[key]?.access === 'public') return 'public';
  const area = keyAreas.find(([prefix]) => path === prefix || path.startsWith(`${prefix}/`));
  if (area) return area[1];
  const isReadOnly =
    path === '/api/pages' ||
    path === '/api/pages/:id' ||
    path.startsWith('/api/overview/') ||
    (path.startsWith('/api/x-ads/') && !isInitiatorOnly(key));
  return method === 'GET' && isReadOnly ? 'read' : 'session';
}
function keyMay(scope: ApiKeyScope, key: string): boolean {
  const needs = keyNeeds(key);
  if (needs === 'public') return true;
  if (needs === 'session') return false;
  return needs === scope || (scope === 'read' && key.startsWith('GET '));
}
const scopeCases = Object.keys(routes).flatMap((key) => apiKeyScopes.map((scope) => [key, scope] as const));

describe('authorization: every /api route refuses whoever may not have it, and only them', () => {
  useTestDatabase();
  let world: VictimWorkspace;
  let fixtures: Fixtures;

  beforeAll(async () => {
    world = await startVictimWorkspace();
    fixtures = world.fixtures;
  }, 30_000);
  afterAll(() => world.stop());

  /** Alice's keys, one per scope, and Bob's key with every scope. */
  const keys = {} as Record<ApiKeyScope, string>;
  let outsiderKey = '';
  beforeAll(async () => {
    const createKey = async (user: LoggedInUser, scopes: readonly ApiKeyScope[]) =>
      (await user.agent.post('/api/api-keys').set(user.csrf).send({ name: 'Matrix', scopes }).expect(201))
        .body.key as string;
    for (const scope of apiKeyScopes) keys[scope] = await createKey(world.alice, [scope]);
    outsiderKey = await createKey(world.bob, apiKeyScopes);
  });

  /**
   * `hidden`: `:id` is the private Page's twin; `outsider`: the body names the outsider's own Page, not Alice's;
   * `bearer`: sent with this API key instead of a session; `query`: this query string instead of the row's.
   */
  function call(
    user: LoggedInUser | undefined,
    key: string,
    options: { hidden?: boolean; outsider?: boolean; bearer?: string; query?: string } = {},
  ) {
    const [method = '', template = ''] = key.split(' ');
    const query = routes[key]?.query;
    const path =
      template
        .replace(':userId', () => fixtures[idFor(key)])
        .replace(':pageId', fixtures[options.hidden ? 'hiddenPage' : 'page'])
        .replace(':id', () => fixtures[idFor(key, options.hidden)]) +
      (options.query ?? (query ? fixtures[query] : ''));
    const agent = (user?.agent ?? request(world.app.url)) as unknown as Record<
      string,
      (path: string) => request.Test
    >;
    const pending = agent[method.toLowerCase()]?.(path);
    if (!pending) throw new Error(`unknown method ${method}`);
    const body = routes[key]?.body;
    const authenticated = user
      ? pending.set(user.csrf)
      : options.bearer !== undefined
        ? pending.set('authorization', `Bearer ${options.bearer}`)
        : pending;
    return authenticated.send(
      typeof body === 'function'
        ? body(options.outsider ? { ...fixtures, page: world.outsiderPage } : fixtures)
        : (body ?? {}),
    );
  }

  it('the table lists every mounted /api route', () => {
    const mounted = listMountedRoutes(world.app.server().app, '/api').map(
      (route) => `${route.method} ${route.path}`,
    );
    expect(mounted.filter((route) => !(route in routes))).toEqual([]);
    expect(Object.keys(routes).filter((route) => !mounted.includes(route))).toEqual([]);
  });

  it.each(Object.keys(routes))('%s without a session: 401 unless public', async (key) => {
    if (routes[key]?.access === 'public') return;
    expect(refusal(key, await call(undefined, key), 401)).toBe(401);
  });

  it.each(Object.keys(routes))(
    '%s as the admin of another workspace: nothing of the victim’s',
    async (key) => {
      const res = await call(world.bob, key, { outsider: true });
      const secrets = [...Object.values(fixtures), 'Alice', 'alice@example.com', 'Pia', 'Paul'];
      for (const secret of secrets) expect(res.text).not.toContain(secret);
      if (hasId(key)) expect([403, 404]).toContain(res.status);
    },
  );

  it.each(Object.keys(routes).filter(refusesAgents))('%s as an agent: 403', async (key) => {
    expect((await call(world.carol, key)).status).toBe(403);
  });

  it.each(Object.keys(routes).filter(isAdminOnly))('%s as a marketer: 403', async (key) => {
    expect((await call(world.dave, key)).status).toBe(403);
  });

  it.each(Object.keys(routes).filter((key) => hasHiddenTwin(key) && !isAdminOnly(key)))(
    '%s as an agent or a marketer, on an object of a Page private to someone else: 404 (or 403 to the agent)',
    async (key) => {
      const asAgent = await call(world.carol, key, { hidden: true });
      expect(asAgent.status).toBe(isMarketing(key) ? 403 : 404);
      const asMarketer = await call(world.dave, key, { hidden: true });
      expect(asMarketer.status).toBe(404);
    },
  );

  it.each(Object.keys(routes).filter((key) => key.startsWith('GET ') && isMarketing(key)))(
    'control: %s as a marketer, on the Page shared with the workspace: 200, and nothing of the private Page',
    async (key) => {
      const res = await call(world.dave, key);
      expect(res.status).toBe(200);
      for (const name of hiddenFixtures) expect(res.text).not.toContain(fixtures[name]);
      expect(res.text).not.toContain('Paul');
    },
  );

  it.each(
    Object.keys(routes).filter(
      (key) => key.startsWith('GET ') && !refusesAgents(key) && !isInitiatorOnly(key),
    ),
  )(
    'control: %s as an agent, on the Page shared with the workspace: 200, and nothing of the private Page',
    async (key) => {
      const res = await call(world.carol, key);
      expect(res.status).toBe(200);
      for (const name of hiddenFixtures) expect(res.text).not.toContain(fixtures[name]);
      expect(res.text).not.toContain('Paul');
    },
  );

  it.each(scopeCases)(
    '%s with a key of scope %s: 401 for a session route, 403 outside its scope, a GET in its scope 200',
    async (key, scope) => {
      const allowed = keyMay(scope, key);
      // Writes in scope change the fixtures the owner's control needs; they run after it, below.
      if (allowed && !key.startsWith('GET ')) return;
      const res = await call(undefined, key, { bearer: keys[scope] });
      const expected = allowed ? 200 : keyNeeds(key) === 'session' ? 401 : 403;
      expect(res.status === expected ? 'as expected' : `${res.status} ${res.text}`).toBe('as expected');
      if (expected === 401) expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    },
  );

  it.each(Object.keys(routes).filter((key) => key.startsWith('GET ') && hasHiddenTwin(key)))(
    '%s with a key of its scope, on the Page private to Alice: 200, as her admin sees it',
    async (key) => {
      const needs = keyNeeds(key);
      if (needs === 'public' || needs === 'session') return;
      expect((await call(undefined, key, { hidden: true, bearer: keys[needs] })).status).toBe(200);
    },
  );

  it.each(Object.keys(routes))('%s with a key of another workspace: nothing of the victim’s', async (key) => {
    const res = await call(undefined, key, { outsider: true, bearer: outsiderKey });
    const secrets = [...Object.values(fixtures), 'Alice', 'alice@example.com', 'Pia', 'Paul'];
    for (const secret of secrets) expect(res.text).not.toContain(secret);
    if (hasId(key)) expect(res.status).toBe(keyNeeds(key) === 'session' ? 401 : 404);
  });

  it.each(Object.keys(routes).filter(isInitiatorOnly))(
    '%s with the owner’s real token, as anyone else (her agent, her marketer, another workspace’s admin): 404',
    async (key) => {
      for (const user of [world.carol, world.dave, world.bob])
        expect(refusal(key, await call(user, key), 404)).toBe(404);
    },
  );

  it.each(Object.keys(routes).filter(isInitiatorOnly))(
    '%s with a forged token or none: refused for everyone, the owner too',
    async (key) => {
      for (const user of [world.alice, world.carol, world.bob]) {
        const forged = await call(user, key, { query: '?oauth_token=forged&oauth_verifier=forged' });
        expect(refusal(key, forged, 404)).toBe(404);
        expect(refusal(key, await call(user, key, { query: '' }), 400)).toBe(400);
      }
    },
  );

  it.each(Object.keys(routes))(
    'control: %s as the owning admin: 2xx (or the redirect it answers)',
    async (key) => {
      const res = await call(world.alice, key);
      const redirectsTo = routes[key]?.redirectsTo;
      const ok = redirectsTo
        ? res.status === 303 && String(res.headers.location).startsWith(redirectsTo)
        : res.status >= 200 && res.status < 300;
      expect(ok ? 'ok' : `${res.status} ${res.headers.location ?? ''} ${res.text}`).toBe('ok');
    },
  );

  // After the owner's control has used up the spares and moved the broadcasts on, so these may answer 404 or 409.
  it.each(Object.keys(routes).filter((key) => !key.startsWith('GET ')))(
    'control: %s with a key of its scope, without a CSRF token: past authorization',
    async (key) => {
      const needs = keyNeeds(key);
      if (needs === 'public' || needs === 'session') return;
      const res = await call(undefined, key, { bearer: keys[needs] });
      expect([401, 403]).not.toContain(res.status);
    },
  );
});
