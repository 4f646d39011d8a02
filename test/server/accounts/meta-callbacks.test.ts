import request from 'supertest';
import { AuditLogModel } from '../../../models/audit-log';
import { DataDeletionRequestModel } from '../../../models/data-deletion-request';
import { MembershipModel } from '../../../models/membership';
import { PageModel } from '../../../models/page';
import { UserModel } from '../../../models/user';
import { deleteUserDataJobName } from '../../../server/accounts/delete-user-data-job';
import { eventually, useLiveChatWorld } from '../livechat/livechat-world';

describe("Meta's deauthorize and data deletion callbacks, sent by the simulator", () => {
  const world = useLiveChatWorld({
    config: { DATA_DELETION_MAX_ATTEMPTS: '3', DATA_DELETION_RETRY_BASE_SECONDS: '0.05' },
  });
  const sim = () => world.simulator.control;
  const deauthorizeUrl = () => `${world.app.url}/webhooks/facebook/deauthorize`;
  const deletionUrl = () => `${world.app.url}/webhooks/facebook/data-deletion`;
  const shoesToken = async () =>
    (await PageModel.findById(world.shoesPageId).select('+accessToken').lean())?.accessToken;

  it('a forged, expired or missing signed_request is refused with 400 and changes nothing', async () => {
    expect((await sim().removeApp('1001', deauthorizeUrl(), { forged: true })).status).toBe(400);
    expect((await sim().removeApp('1001', deauthorizeUrl(), { ageSeconds: 2 * 3600 })).status).toBe(400);
    expect((await sim().requestDataDeletion('1001', deletionUrl(), { forged: true })).status).toBe(400);
    const nonsense = await request(world.app.url)
      .post('/webhooks/facebook/data-deletion')
      .type('form')
      .send({ signed_request: 'abc.def' });
    expect(nonsense.status).toBe(400);
    expect(nonsense.type).toBe('application/problem+json');
    expect((await request(world.app.url).post('/webhooks/facebook/deauthorize').send({})).status).toBe(400);

    expect(await shoesToken()).toBeDefined();
    expect(await UserModel.exists({ facebookUserId: '1001' })).toBeTruthy();
    expect((await world.alice.agent.get('/api/me')).status).toBe(200);
  });

  it('removing the app drops the Page tokens, asks for a reconnection and ends the sessions', async () => {
    const answer = await sim().removeApp('1001', deauthorizeUrl());
    expect(answer.status).toBe(200);
    expect(await shoesToken()).toBeUndefined();
    const page = await PageModel.findById(world.shoesPageId).lean();
    expect(page?.health?.status).toBe('needs_reauth');
    expect((await world.alice.agent.get('/api/me')).status).toBe(401);
  });

  const statusOf = async (url: string) =>
    (await request(url).get('').set('Accept', 'application/json').expect(200)).body as {
      confirmationCode: string;
      status: string;
    };

  it('a data deletion request is answered at once; its status URL shows pending, then completed once a job has deleted the person', async () => {
    const user = await UserModel.findOne({ facebookUserId: '1001' }).lean();
    const jobs = world.app.server().jobs;
    // With Agenda taking no jobs, only the answer can have happened.
    await jobs.stop();
    const answer = await sim().requestDataDeletion('1001', deletionUrl());
    expect(answer.status).toBe(200);
    const { url, confirmation_code } = answer.body as { url: string; confirmation_code: string };
    expect(url).toBe(`${world.app.url}/data-deletion/${confirmation_code}`);
    expect(await UserModel.exists({ facebookUserId: '1001' })).toBeTruthy();
    expect(await statusOf(url)).toMatchObject({ confirmationCode: confirmation_code, status: 'pending' });
    expect((await request(url).get('').set('Accept', 'text/html')).text).toContain('under way');

    // Four more runs of the job for the same request race the queued one: the person is deleted, and each workspace
    // told, once.
    const pending = await DataDeletionRequestModel.findOne({ confirmationCode: confirmation_code }).lean();
    for (let run = 0; run < 4; run++) {
      await jobs.agenda.now(deleteUserDataJobName, { requestId: String(pending!._id) });
    }
    await jobs.start();
    await eventually(async () => (await statusOf(url)).status === 'completed', 15_000);
    expect(await UserModel.exists({ facebookUserId: '1001' })).toBeNull();
    expect(await MembershipModel.exists({ user: user?._id })).toBeNull();
    const told = await AuditLogModel.find({ action: 'user.data-deleted', 'object.id': String(user?._id) });
    expect(told).toHaveLength(1);
    const completed = await DataDeletionRequestModel.findById(pending!._id).lean();
    expect(JSON.stringify(completed)).not.toContain('1001');

    const page = await request(url).get('').set('Accept', 'text/html');
    expect(page.text).toContain(confirmation_code);
    expect(page.text).toContain('has deleted the data');
    expect((await request(world.app.url).get('/data-deletion/unknown-code-1234')).status).toBe(404);
  });

  it('a deletion that keeps failing is tried DATA_DELETION_MAX_ATTEMPTS times, then shown failed and logged for the operators', async () => {
    const bob = await world.app.login('1002');
    await bob.agent
      .post('/api/pages')
      .set(bob.csrf)
      .send({ fbPageIds: ['3001'] })
      .expect(201);
    // A Page document the deletion cannot update (its pauses are not an object): every attempt fails in the database.
    await PageModel.collection.updateOne({ fbPageId: '3001' }, { $set: { automationPauses: 'unreadable' } });

    const answer = await sim().requestDataDeletion('1002', deletionUrl());
    expect(answer.status).toBe(200);
    const { url, confirmation_code } = answer.body as { url: string; confirmation_code: string };
    await eventually(async () => (await statusOf(url)).status === 'failed', 20_000);
    const failed = await DataDeletionRequestModel.findOne({ confirmationCode: confirmation_code });
    expect(failed).toMatchObject({ attempts: 3, facebookUserId: '1002' });
    expect(failed?.lastError).toBeTruthy();
    expect((await request(url).get('').set('Accept', 'text/html')).text).toContain('could not be finished');
    expect(world.app.logs()).toContain('failed at every attempt');
    await PageModel.collection.updateOne({ fbPageId: '3001' }, { $unset: { automationPauses: '' } });
  });
});
