/**
 * Agendash at /admin/jobs: for the admins who run this Pagewire only, behind the session, its posts refused unless
 * they carry our CSRF token or are JSON from this origin, under the app's own CSP.
 */
import mongoose from 'mongoose';
import request from 'supertest';
import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { tenancySeed } from '../../support/tenancy-seed';

const browserAccept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('the jobs dashboard', () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let bob: LoggedInUser;
  let carol: LoggedInUser;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: tenancySeed });
    // Alice runs this Pagewire; Bob is only the admin of a workspace of his own.
    app = await startTestApp({ simulator, config: { OPERATOR_FACEBOOK_USER_IDS: '1001, 1999' } });
    alice = await app.login('1001');
    bob = await app.login('1002');
    const invitation = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role: 'agent' });
    carol = await app.login('1003', { invitationUrl: invitation.body.url });
  });
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  const jobsNamed = (name: string) =>
    mongoose.connection.db?.collection('agendaJobs').countDocuments({ name }) ?? Promise.resolve(-1);
  const create = (user: LoggedInUser, name: string) =>
    user.agent.post('/admin/jobs/api/jobs/create').send({ jobName: name, jobSchedule: 'in 1 year' });

  it('anonymous: 401, for the page, its API and its posts, never the dashboard’s index.html', async () => {
    for (const path of ['/admin/jobs/', '/admin/jobs', '/admin/jobs/api', '/admin/jobs/assets/x.js']) {
      const res = await request(app.url).get(path).set('accept', browserAccept);
      expect(`${path} ${res.status}`).toBe(`${path} 401`);
      expect(res.text).not.toContain('<div id="root">');
    }
    const post = await request(app.url).post('/admin/jobs/api/jobs/create').send({ jobName: 'x' });
    expect(post.status).toBe(401);
  });

  it('an agent and the admin of a workspace who does not run Pagewire: 403', async () => {
    for (const user of [carol, bob]) {
      const res = await user.agent.get('/admin/jobs/api');
      expect(res.status).toBe(403);
      expect(res.body.detail).toBe('Only an admin who runs this Pagewire may do this.');
      expect((await user.agent.get('/admin/jobs/').set('accept', browserAccept)).status).toBe(403);
    }
    expect((await create(bob, 'bob:forged').set('origin', app.url).set(bob.csrf)).status).toBe(403);
    expect(await jobsNamed('bob:forged')).toBe(0);
  });

  it('an operator gets Agendash under the app’s CSP, and its API lists the jobs', async () => {
    const bare = await alice.agent.get('/admin/jobs').set('accept', browserAccept);
    expect(bare.status).toBe(301);
    expect(bare.headers.location).toBe('/admin/jobs/');
    const page = await alice.agent.get('/admin/jobs/').set('accept', browserAccept);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>Agendash</title>');
    const appsPolicy = (await request(app.url).get('/login').set('accept', browserAccept)).headers[
      'content-security-policy'
    ];
    expect(page.headers['content-security-policy']).toBe(appsPolicy);
    expect(appsPolicy).toContain("frame-ancestors 'self'");
    const script = page.text.match(/src="\.\/(assets\/[^"]+\.js)"/)?.[1];
    expect((await alice.agent.get(`/admin/jobs/${script}`)).status).toBe(200);
    const jobs = await alice.agent.get('/admin/jobs/api').expect(200);
    const names = (jobs.body.overview as { displayName: string }[]).map((entry) => entry.displayName);
    expect(names).toEqual(expect.arrayContaining(['accounts:remove-expired-sessions']));
  });

  it('a forged cross-site post is refused: another origin, no origin, or not JSON', async () => {
    const forgeries = [
      create(alice, 'forged:other-origin').set('origin', 'http://evil.example'),
      create(alice, 'forged:no-origin'),
      alice.agent
        .post('/admin/jobs/api/jobs/create')
        .set('origin', app.url)
        .type('form')
        .send({ jobName: 'forged:form' }),
      alice.agent
        .post('/admin/jobs/api/jobs/create')
        .set('origin', app.url)
        .type('text/plain')
        .send(JSON.stringify({ jobName: 'forged:text' })),
    ];
    for (const forged of forgeries) expect((await forged).status).toBe(403);
    for (const name of ['forged:other-origin', 'forged:no-origin', 'forged:form', 'forged:text'])
      expect(await jobsNamed(name)).toBe(0);
  });

  it('Agendash’s own JSON posts from this origin, or a post with the CSRF token, go through', async () => {
    expect((await create(alice, 'made:by-agendash').set('origin', app.url)).status).toBe(200);
    expect((await create(alice, 'made:with-token').set(alice.csrf)).status).toBe(200);
    expect(await jobsNamed('made:by-agendash')).toBe(1);
    expect(await jobsNamed('made:with-token')).toBe(1);
  });

  it('nonsense sent to Agendash’s actions is a 400 that changes no job; a real job id is requeued', async () => {
    const jobs = mongoose.connection.db?.collection('agendaJobs');
    const before = await jobs?.countDocuments();
    const bodies = [
      {},
      { jobIds: 'x' },
      { jobIds: ['not-an-id'] },
      { jobIds: { $gt: '' } },
      { jobIds: [{}] },
    ];
    for (const action of ['requeue', 'retry', 'delete', 'pause', 'resume', 'create'])
      for (const body of bodies) {
        const res = await alice.agent.post(`/admin/jobs/api/jobs/${action}`).set(alice.csrf).send(body);
        expect(`${action} ${JSON.stringify(body)} ${res.status}`).toBe(
          `${action} ${JSON.stringify(body)} 400`,
        );
      }
    const query = await alice.agent.get('/admin/jobs/api?skip=x&limit=-1&state=nonsense&job[$ne]=1');
    expect(query.status).toBeLessThan(500);
    expect(await jobs?.countDocuments()).toBe(before);

    const job = await jobs?.findOne({ name: 'accounts:remove-expired-sessions' });
    const requeued = await alice.agent
      .post('/admin/jobs/api/jobs/requeue')
      .set(alice.csrf)
      .send({ jobIds: [String(job?._id)] });
    expect(requeued.body).toEqual({ requeuedCount: 1 });
    expect(await jobs?.countDocuments()).toBe((before ?? 0) + 1);
  });

  it('/api/me tells the dashboard whether to link the jobs dashboard', async () => {
    expect((await alice.agent.get('/api/me')).body.operator).toBe(true);
    expect((await bob.agent.get('/api/me')).body.operator).toBe(false);
    expect((await carol.agent.get('/api/me')).body.operator).toBe(false);
  });

  it('a browser on another name for this server is not sent to the dashboard’s canonical host for /admin', async () => {
    const res = await request(app.url.replace('127.0.0.1', 'localhost'))
      .get('/admin/jobs/')
      .set('accept', browserAccept);
    expect(res.status).toBe(401);
  });
});
