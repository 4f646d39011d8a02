import request from 'supertest';
import { MembershipModel } from '../../../models/membership';
import { PageModel } from '../../../models/page';
import { UserModel } from '../../../models/user';
import { useLiveChatWorld } from '../livechat/livechat-world';

describe("Meta's deauthorize and data deletion callbacks, sent by the simulator", () => {
  const world = useLiveChatWorld();
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

  it('a data deletion request deletes the person and its status URL answers with the code', async () => {
    const user = await UserModel.findOne({ facebookUserId: '1001' }).lean();
    const answer = await sim().requestDataDeletion('1001', deletionUrl());
    expect(answer.status).toBe(200);
    const { url, confirmation_code } = answer.body as { url: string; confirmation_code: string };
    expect(url).toBe(`${world.app.url}/data-deletion/${confirmation_code}`);
    expect(await UserModel.exists({ facebookUserId: '1001' })).toBeNull();
    expect(await MembershipModel.exists({ user: user?._id })).toBeNull();

    const status = await request(url).get('').set('Accept', 'application/json');
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ confirmationCode: confirmation_code, status: 'completed' });
    const page = await request(url).get('').set('Accept', 'text/html');
    expect(page.text).toContain(confirmation_code);
    expect((await request(world.app.url).get('/data-deletion/unknown-code-1234')).status).toBe(404);
  });
});
