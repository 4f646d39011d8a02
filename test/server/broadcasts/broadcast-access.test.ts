import { startSimulator, type Simulator } from '../../../simulator/index';
import type { BroadcastProgressEvent } from '../../../server/realtime/events';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { tenancySeed } from '../../support/tenancy-seed';

/**
 * Who may broadcast: a workspace's admins and marketers, each on the Pages they see; never an agent, never another
 * workspace. Alice (admin) shares Alice Shoes (2001) with the workspace and keeps Alice Hats (2002) to herself; Carol
 * is her marketer, Dave her agent; Bob runs another workspace.
 */
describe('broadcasts belong to admins and marketers, on the Pages they see', () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let bob: LoggedInUser;
  let carol: LoggedInUser;
  let dave: LoggedInUser;
  let shoes: string;
  let hats: string;
  let onHats: string;

  const draft = (pageId: string, name = 'Spring sale') => ({
    name,
    pages: [pageId],
    content: { type: 'text', text: `${name}: 20% off` },
    audience: {},
    purpose: 'promotional',
  });
  const invite = async (role: string, facebookUserId: string) => {
    const invitation = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role }).expect(201);
    return app.login(facebookUserId, { invitationUrl: invitation.body.url });
  };

  beforeAll(async () => {
    simulator = await startSimulator({ seed: tenancySeed });
    app = await startTestApp({ simulator });
    alice = await app.login('1001');
    bob = await app.login('1002');
    const connected = await alice.agent
      .post('/api/pages')
      .set(alice.csrf)
      .send({ fbPageIds: ['2001', '2002'] })
      .expect(201);
    const ids = new Map<string, string>(
      (connected.body.data as { id: string; fbPageId: string }[]).map((page) => [page.fbPageId, page.id]),
    );
    [shoes, hats] = [ids.get('2001') ?? '', ids.get('2002') ?? ''];
    await alice.agent.patch(`/api/pages/${hats}`).set(alice.csrf).send({ scope: 'private' }).expect(200);
    carol = await invite('marketer', '1003');
    dave = await invite('agent', '1004');
    onHats = (await alice.agent.post('/api/broadcasts').set(alice.csrf).send(draft(hats, 'Hats')).expect(201))
      .body._id;
  }, 30_000);
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  it('/api/me tells the dashboard who may broadcast', async () => {
    const mayBroadcast = async (user: LoggedInUser) => (await user.agent.get('/api/me')).body.can.broadcast;
    expect(await mayBroadcast(alice)).toBe(true);
    expect(await mayBroadcast(carol)).toBe(true);
    expect(await mayBroadcast(dave)).toBe(false);
  });

  it('a marketer composes, estimates, sends and reads the results of a broadcast on a Page they see', async () => {
    const post = (path: string, body: object = {}) => carol.agent.post(path).set(carol.csrf).send(body);
    const created = await post('/api/broadcasts', draft(shoes)).expect(201);
    const id = created.body._id as string;
    expect(created.body.createdBy).toBe((await carol.agent.get('/api/me')).body.user.id);
    await post('/api/broadcasts/estimate', { pages: [shoes], purpose: 'promotional' }).expect(200);
    await post('/api/broadcasts/content-check', { content: { type: 'text', text: 'Hi' } }).expect(200);
    await carol.agent.get('/api/broadcasts/audience-options').expect(200);
    const socket = await app.socketFor(carol);
    const progress = new Promise<BroadcastProgressEvent>((resolve) =>
      socket.once('broadcast:progress', resolve),
    );
    await post(`/api/broadcasts/${id}/send`).expect(200);
    await expect(progress).resolves.toMatchObject({ broadcastId: id });
    await carol.agent.get(`/api/broadcasts/${id}/results`).expect(200);
    await carol.agent.get(`/api/broadcasts/${id}/recipients`).expect(200);
    const list = await carol.agent.get('/api/broadcasts').expect(200);
    expect(list.body.data.map((b: { _id: string }) => b._id)).toContain(id);
  });

  it('a broadcast on a Page private to someone else is not a marketer’s: absent from the list, 404 to every route', async () => {
    const list = await carol.agent.get('/api/broadcasts').expect(200);
    expect(list.body.data.map((b: { _id: string }) => b._id)).not.toContain(onHats);
    for (const path of ['', '/estimate', '/results', '/recipients'])
      expect((await carol.agent.get(`/api/broadcasts/${onHats}${path}`)).status).toBe(404);
    for (const action of ['send', 'pause', 'resume', 'cancel'])
      expect((await carol.agent.post(`/api/broadcasts/${onHats}/${action}`).set(carol.csrf)).status).toBe(
        404,
      );
    const put = await carol.agent.put(`/api/broadcasts/${onHats}`).set(carol.csrf).send(draft(shoes));
    expect(put.status).toBe(404);
    const create = await carol.agent.post('/api/broadcasts').set(carol.csrf).send(draft(hats));
    expect(create.status).toBe(400);
    expect(create.body.detail).toBe('A Page of this broadcast is not connected.');
    const estimate = await carol.agent
      .post('/api/broadcasts/estimate')
      .set(carol.csrf)
      .send({ pages: [hats], purpose: 'promotional' });
    expect(estimate.status).toBe(400);
    // Control: the Page's owner sees it.
    await alice.agent.get(`/api/broadcasts/${onHats}/results`).expect(200);
  });

  it('an agent gets 403 from every broadcast route, the new ones included', async () => {
    const id = onHats;
    const gets = [
      '',
      '/audience-options',
      `/${id}`,
      `/${id}/estimate`,
      `/${id}/results`,
      `/${id}/recipients`,
    ];
    for (const path of gets) expect((await dave.agent.get(`/api/broadcasts${path}`)).status).toBe(403);
    const posts = ['', '/estimate', '/content-check', `/${id}/send`, `/${id}/schedule`, `/${id}/cancel`];
    for (const path of posts)
      expect((await dave.agent.post(`/api/broadcasts${path}`).set(dave.csrf).send({})).status).toBe(403);
  });

  it('another workspace’s admin finds nothing: 404 for its broadcasts, none in the list', async () => {
    for (const path of ['', '/results', '/recipients?limit=5'])
      expect((await bob.agent.get(`/api/broadcasts/${onHats}${path}`)).status).toBe(404);
    expect((await bob.agent.get('/api/broadcasts')).body.data).toEqual([]);
  });

  it('bad queries and bodies are 400s naming the field, never 500s', async () => {
    const issues = async (
      pending: PromiseLike<{ status: number; body: { issues?: { path: string }[] } }>,
    ) => {
      const res = await pending;
      expect(res.status).toBe(400);
      return res.body.issues?.map((issue) => issue.path);
    };
    const get = (path: string) => alice.agent.get(path);
    expect(await issues(get(`/api/broadcasts/${onHats}/recipients?status=lost`))).toEqual(['status']);
    expect(await issues(get(`/api/broadcasts/${onHats}/recipients?limit=0`))).toEqual(['limit']);
    expect(await issues(get(`/api/broadcasts/${onHats}/recipients?cursor=zzz`))).toEqual(['cursor']);
    expect(await issues(get(`/api/broadcasts/${onHats}/recipients?sort=name`))).toEqual(['']);
    expect(await issues(get('/api/broadcasts?limit=1000'))).toEqual(['limit']);
    expect(await issues(get('/api/broadcasts/not-an-id/results'))).toEqual(['id']);
    const check = alice.agent
      .post('/api/broadcasts/content-check')
      .set(alice.csrf)
      .send({ content: { type: 'text', text: 'Hi' }, extra: 1 });
    expect(await issues(check)).toEqual(['']);
  });
});
