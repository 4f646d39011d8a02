/**
 * Every /api route and every server event, tried as someone who must not get it: no session, a user of another
 * workspace, an agent where an admin is needed (or a Page the agent may not see). The route list is read from the
 * running app, so a route missing from `routes` below fails this test: add yours with the access it needs.
 */
import request from 'supertest';
import { listMountedRoutes } from '../../../server/platform/http/route-inventory';
import { serverEventNames } from '../../../server/realtime/events';
import { startSimulator, type Simulator } from '../../../simulator/index';
import {
  startTestApp,
  type LoggedInUser,
  type PagewireSocket,
  type TestApp,
} from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { tenancySeed } from '../../support/tenancy-seed';

type Access = 'public' | 'member' | 'admin' | 'page' | 'page-admin';

/** `METHOD /path` → who may call it, and a body that would succeed for them. */
const routes: Record<string, { access: Access; body?: object }> = {
  'GET /api/permissions': { access: 'public' },
  'GET /api/csrf-token': { access: 'public' },
  'GET /api/me': { access: 'member' },
  'GET /api/members': { access: 'member' },
  'PATCH /api/members/:userId': { access: 'admin', body: { role: 'agent' } },
  'GET /api/invitations': { access: 'admin' },
  'POST /api/invitations': { access: 'admin', body: { role: 'admin' } },
  'GET /api/pages/available': { access: 'admin' },
  'GET /api/pages': { access: 'member' },
  'POST /api/pages': { access: 'admin', body: { fbPageIds: ['2002'] } },
  'GET /api/pages/:id': { access: 'page' },
  'PATCH /api/pages/:id': { access: 'page-admin', body: { scope: 'workspace' } },
  'DELETE /api/pages/:id': { access: 'page-admin' },
  // Live chat: conversations of Pages the member can see (`:id` is a conversation; owners may refine).
  'GET /api/conversations': { access: 'member' },
  'GET /api/conversations/:id': { access: 'member' },
  'GET /api/conversations/:id/messages': { access: 'member' },
  'POST /api/conversations/:id/messages': { access: 'member' },
  'POST /api/conversations/:id/sender-actions': { access: 'member' },
  'POST /api/conversations/:id/presence': { access: 'member' },
  'POST /api/conversations/:id/assign': { access: 'member' },
  'POST /api/conversations/:id/unassign': { access: 'member' },
  'POST /api/conversations/:id/resolve': { access: 'member' },
  'POST /api/conversations/:id/reopen': { access: 'member' },
  'POST /api/conversations/:id/claim': { access: 'member' },
  'POST /api/conversations/:id/notes': { access: 'member' },
  // Broadcasts: admins only.
  'GET /api/broadcasts': { access: 'admin' },
  'POST /api/broadcasts': { access: 'admin' },
  'POST /api/broadcasts/estimate': { access: 'admin' },
  'GET /api/broadcasts/:id': { access: 'admin' },
  'PUT /api/broadcasts/:id': { access: 'admin' },
  'GET /api/broadcasts/:id/estimate': { access: 'admin' },
  'POST /api/broadcasts/:id/send': { access: 'admin' },
  'POST /api/broadcasts/:id/schedule': { access: 'admin' },
  'POST /api/broadcasts/:id/pause': { access: 'admin' },
  'POST /api/broadcasts/:id/resume': { access: 'admin' },
  'POST /api/broadcasts/:id/cancel': { access: 'admin' },
  // Comment capture and the bot: members read, admins change.
  'GET /api/captures': { access: 'member' },
  'GET /api/captures/:id': { access: 'member' },
  'POST /api/captures': { access: 'admin' },
  'PATCH /api/captures/:id': { access: 'admin' },
  'DELETE /api/captures/:id': { access: 'admin' },
  'GET /api/bot/blocks': { access: 'member' },
  'GET /api/bot/blocks/:id': { access: 'member' },
  'POST /api/bot/blocks': { access: 'admin' },
  'PATCH /api/bot/blocks/:id': { access: 'admin' },
  'DELETE /api/bot/blocks/:id': { access: 'admin' },
  'GET /api/bot/rules': { access: 'member' },
  'GET /api/bot/rules/:id': { access: 'member' },
  'POST /api/bot/rules': { access: 'admin' },
  'PATCH /api/bot/rules/:id': { access: 'admin' },
  'DELETE /api/bot/rules/:id': { access: 'admin' },
  'PUT /api/bot/profile/:pageId': { access: 'page-admin' },
  // Subscribers of the Pages the member can see (`:id` is a subscriber).
  'GET /api/subscribers': { access: 'member' },
  'GET /api/subscribers/:id': { access: 'member' },
  'PUT /api/subscribers/:id/tags': { access: 'member', body: { tags: ['vip'] } },
  'PATCH /api/subscribers/:id/custom-fields': { access: 'member', body: { customFields: { city: 'Lyon' } } },
};

describe('authorization: every /api route and every socket event refuses whoever may not have it', () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let bob: LoggedInUser;
  let carol: LoggedInUser;
  let secrets: string[];
  let params: Record<string, string>;
  let hiddenPageId: string;
  let workspaceId: string;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: tenancySeed });
    app = await startTestApp({ simulator });
    alice = await app.login('1001');
    bob = await app.login('1002');
    const connected = await alice.agent
      .post('/api/pages')
      .set(alice.csrf)
      .send({ fbPageIds: ['2001', '2002'] });
    const [shared, hidden] = connected.body.data as { id: string; fbPageId: string }[];
    if (!shared || !hidden) throw new Error('two Pages expected');
    hiddenPageId = hidden.id;
    await alice.agent.patch(`/api/pages/${hidden.id}`).set(alice.csrf).send({ scope: 'private' }).expect(200);
    const invitation = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role: 'agent' });
    carol = await app.login('1003', { invitationUrl: invitation.body.url });
    const me = (await alice.agent.get('/api/me')).body;
    workspaceId = me.workspace.id;
    params = { id: shared.id, pageId: shared.id, userId: me.user.id };
    secrets = [workspaceId, me.user.id, shared.id, hidden.id, 'Alice', 'alice@example.com'];
  });
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  const pathFor = (template: string, values: Record<string, string>) =>
    template.replace(/:(\w+)/g, (_match, name: string) => {
      const value = values[name];
      if (!value) throw new Error(`no test value for :${name}; add one to params`);
      return value;
    });

  function call(user: LoggedInUser | undefined, key: string, values = params) {
    const [method = '', template = ''] = key.split(' ');
    const path = pathFor(template, values);
    const agent = (user?.agent ?? request(app.url)) as unknown as Record<
      string,
      (path: string) => request.Test
    >;
    const pending = agent[method.toLowerCase()]?.(path);
    if (!pending) throw new Error(`unknown method ${method}`);
    return (user ? pending.set(user.csrf) : pending).send(routes[key]?.body ?? {});
  }

  it('the table lists every mounted /api route', () => {
    const mounted = listMountedRoutes(app.server().app, '/api').map(
      (route) => `${route.method} ${route.path}`,
    );
    expect(mounted.filter((route) => !(route in routes))).toEqual([]);
    expect(Object.keys(routes).filter((route) => !mounted.includes(route))).toEqual([]);
  });

  it.each(Object.keys(routes))('%s without a session: 401 unless public', async (key) => {
    if (routes[key]?.access === 'public') return;
    expect((await call(undefined, key)).status).toBe(401);
  });

  it.each(Object.keys(routes))('%s as a user of another workspace: nothing of theirs', async (key) => {
    const res = await call(bob, key);
    for (const secret of secrets) expect(res.text).not.toContain(secret);
    // A 400 refuses the body before the lookup; give the route a valid `body` so the lookup is what refuses.
    if (key.includes(':')) expect([400, 403, 404]).toContain(res.status);
  });

  it.each(Object.keys(routes))(
    '%s as an agent: 403 where an admin is needed, 404 for a Page not shared',
    async (key) => {
      const access = routes[key]?.access;
      if (access === 'admin' || access === 'page-admin') expect((await call(carol, key)).status).toBe(403);
      if (access === 'page' || access === 'page-admin') {
        expect([403, 404]).toContain(
          (await call(carol, key, { ...params, id: hiddenPageId, pageId: hiddenPageId })).status,
        );
      }
    },
  );

  it('every server event reaches nobody outside its room', async () => {
    const sockets: Record<string, PagewireSocket> = {
      bob: await app.socketFor(bob),
      carol: await app.socketFor(carol),
    };
    const received: string[] = [];
    for (const [who, socket] of Object.entries(sockets)) {
      socket.onAny((event: string) => received.push(`${who} ${event}`));
    }
    const realtime = app.server().accounts.realtime;
    for (const event of serverEventNames) {
      realtime.emitToAdmins(workspaceId, event, {} as never);
      realtime.emitToPage(hiddenPageId, event, {} as never);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).toEqual([]);
    await expect(app.socketFor({ cookie: '' })).rejects.toThrow(/unauthorized/);
  });
});
