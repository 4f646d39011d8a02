import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { tenancySeed } from '../../support/tenancy-seed';
import { pageHealthEvent, pageIdsReceived } from './page-health-probe';

describe('a Page shared with a team: its agents see it, the workspace’s other agents do not', () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let carol: LoggedInUser;
  let dave: LoggedInUser;
  let hats: string;
  let carolId: string;

  const invitedAgent = async (facebookUserId: string) => {
    const invitation = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role: 'agent' });
    return app.login(facebookUserId, { invitationUrl: invitation.body.url });
  };
  const pageIdsSeenBy = async (user: LoggedInUser) =>
    ((await user.agent.get('/api/pages').expect(200)).body.data as { id: string }[]).map((page) => page.id);

  beforeAll(async () => {
    simulator = await startSimulator({ seed: tenancySeed });
    app = await startTestApp({ simulator });
    alice = await app.login('1001');
    const connected = await alice.agent
      .post('/api/pages')
      .set(alice.csrf)
      .send({ fbPageIds: ['2002'] })
      .expect(201);
    hats = connected.body.data[0].id as string;
    await alice.agent
      .patch(`/api/pages/${hats}`)
      .set(alice.csrf)
      .send({ scope: 'team', teamId: 'hat-support' })
      .expect(200);
    carol = await invitedAgent('1003');
    dave = await invitedAgent('1004');
    carolId = (await carol.agent.get('/api/me')).body.user.id as string;
    await alice.agent
      .patch(`/api/members/${carolId}`)
      .set(alice.csrf)
      .send({ teamIds: ['hat-support'] })
      .expect(204);
  }, 30_000);
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  it('over REST the team’s agent lists and opens the Page; an agent outside the team gets neither', async () => {
    expect(await pageIdsSeenBy(carol)).toEqual([hats]);
    expect((await carol.agent.get(`/api/pages/${hats}`)).status).toBe(200);
    expect(await pageIdsSeenBy(dave)).toEqual([]);
    expect((await dave.agent.get(`/api/pages/${hats}`)).status).toBe(404);
  });

  it('over socket.io the team’s agent receives the Page’s events; an agent outside the team does not', async () => {
    const [carolSocket, daveSocket] = [await app.socketFor(carol), await app.socketFor(dave)];
    const received = Promise.all([pageIdsReceived(carolSocket), pageIdsReceived(daveSocket)]);
    app.server().accounts.realtime.emitToPage(hats, 'page:health', pageHealthEvent(hats));
    expect(await received).toEqual([[hats], []]);
    carolSocket.disconnect();
    daveSocket.disconnect();
  });

  it('leaving the team takes the Page away at once, from REST and from the open socket', async () => {
    const socket = await app.socketFor(carol);
    await alice.agent.patch(`/api/members/${carolId}`).set(alice.csrf).send({ teamIds: [] }).expect(204);
    const received = pageIdsReceived(socket);
    app.server().accounts.realtime.emitToPage(hats, 'page:health', pageHealthEvent(hats));
    expect(await received).toEqual([]);
    expect((await carol.agent.get(`/api/pages/${hats}`)).status).toBe(404);
    socket.disconnect();
  });
});
