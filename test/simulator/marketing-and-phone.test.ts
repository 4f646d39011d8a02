import { PAGE_ID, send, startWorld, type World } from './harness';

const AD_USER = '10150000000000077';
const USER_TOKEN = 'marketer-user-token';

/** Meta's Marketing API (sponsored messages) and the Send API's phone-number recipient, as the simulator plays them. */
describe('simulator: sponsored messages and phone-number sends', () => {
  let world: World;
  let pageTokenWithPhone: string;

  beforeAll(async () => {
    world = await startWorld();
    await world.sim.control.addUser({
      id: AD_USER,
      name: 'Mia Marketer',
      email: 'mia@example.com',
      grantedPermissions: [
        'public_profile',
        'pages_show_list',
        'pages_messaging',
        'ads_management',
        'pages_messaging_phone_number',
      ],
      accessToken: USER_TOKEN,
    });
    await world.sim.control.addPage({
      id: '500100200300777',
      name: 'Phone Bakery',
      adminUserIds: [AD_USER],
    });
    await world.sim.control.addAdAccount({ id: '9001', name: 'Bakery ads', userIds: [AD_USER] });
    const accounts = await world.graph.get('/me/accounts', { params: { access_token: USER_TOKEN } });
    const pages = accounts.data.data as { id: string; access_token: string }[];
    pageTokenWithPhone = pages.find((page) => page.id === '500100200300777')?.access_token ?? '';
  });
  afterAll(() => world.sim.stop());

  const asUser = (token = USER_TOKEN) => ({ params: { access_token: token } });
  const placement = { publisher_platforms: ['messenger'], messenger_positions: ['sponsored_messages'] };

  async function createTree(budget: Record<string, unknown>) {
    const campaign = await world.graph.post(
      '/act_9001/campaigns',
      { name: 'Spring', objective: 'OUTCOME_ENGAGEMENT', status: 'PAUSED', special_ad_categories: [] },
      asUser(),
    );
    const adSet = await world.graph.post(
      '/act_9001/adsets',
      {
        name: 'Spring set',
        campaign_id: campaign.data.id,
        promoted_object: { page_id: PAGE_ID },
        targeting: placement,
        billing_event: 'IMPRESSIONS',
        optimization_goal: 'IMPRESSIONS',
        status: 'ACTIVE',
        ...budget,
      },
      asUser(),
    );
    return { campaign, adSet };
  }

  it('lists the ad accounts the user manages', async () => {
    const res = await world.graph.get('/me/adaccounts', asUser());
    expect(res.data.data).toEqual([
      expect.objectContaining({ id: 'act_9001', account_id: '9001', name: 'Bakery ads', currency: 'USD' }),
    ]);
  });

  it('refuses a budget under the minimum with Meta’s budget error', async () => {
    const { adSet } = await createTree({ daily_budget: 50 });
    expect(adSet.status).toBe(400);
    expect(adSet.data.error).toMatchObject({ code: 100, error_subcode: 1885272 });
    expect(adSet.data.error.message).toMatch(/budget is too low/i);
  });

  it('refuses a user token without ads_management', async () => {
    const plain = await world.sim.control.addUser({
      id: '10150000000000088',
      name: 'No Ads',
      email: 'no-ads@example.com',
      accessToken: 'no-ads-token',
    });
    expect(plain.accessToken).toBe('no-ads-token');
    const res = await world.graph.post(
      '/act_9001/campaigns',
      { name: 'x', objective: 'OUTCOME_ENGAGEMENT', special_ad_categories: [] },
      asUser('no-ads-token'),
    );
    expect(res.data.error).toMatchObject({ code: 200 });
    expect(res.data.error.message).toContain('ads_management');
  });

  it('delivers an active sponsored message once to each person who messaged the Page, within budget, until paused', async () => {
    await world.sim.control.sendText('alice', PAGE_ID, 'Hello');
    const { campaign, adSet } = await createTree({ daily_budget: 100 });
    expect(adSet.status).toBe(200);
    const creative = await world.graph.post(
      '/act_9001/adcreatives',
      {
        name: 'Spring creative',
        object_id: PAGE_ID,
        messenger_sponsored_message: { message: { text: 'Our spring menu is here' } },
      },
      asUser(),
    );
    const ad = await world.graph.post(
      '/act_9001/ads',
      {
        name: 'Spring ad',
        adset_id: adSet.data.id,
        creative: { creative_id: creative.data.id },
        status: 'ACTIVE',
      },
      asUser(),
    );
    expect((await world.graph.get(`/${ad.data.id}`, asUser())).data.effective_status).toBe('CAMPAIGN_PAUSED');
    expect((await world.graph.get(`/${campaign.data.id}/insights`, asUser())).data.data).toEqual([]);

    await world.graph.post(`/${campaign.data.id}`, { status: 'ACTIVE' }, asUser());
    const insights = await world.graph.get(`/${campaign.data.id}/insights`, asUser());
    expect(insights.data.data[0]).toMatchObject({ reach: '1', impressions: '1', spend: '0.01' });

    await world.graph.post(`/${campaign.data.id}`, { status: 'PAUSED' }, asUser());
    await world.sim.control.sendText('bjorn', PAGE_ID, 'Hi');
    const held = await world.graph.get(`/${ad.data.id}/insights`, asUser());
    expect(held.data.data[0]).toMatchObject({ reach: '1' });
    expect((await world.sim.control.ad(ad.data.id)).deliveredTo).toHaveLength(1);
  });

  it('sends to a US phone number with pages_messaging_phone_number, and refuses others', async () => {
    const body = (phone: string) => ({
      recipient: { phone_number: phone },
      messaging_type: 'UPDATE',
      message: { text: 'You are invited' },
    });
    const toPage = (phone: string, token: string) =>
      world.graph.post('/500100200300777/messages', body(phone), { params: { access_token: token } });
    const ok = await toPage('+1 (212) 555-2368', pageTokenWithPhone);
    expect(ok.data).toEqual({ message_id: expect.any(String) });
    const abroad = await toPage('+44 20 7946 0958', pageTokenWithPhone);
    expect(abroad.data.error).toMatchObject({ code: 100, error_subcode: 2018109 });
    expect(abroad.data.error.message).toMatch(/United States/);
    const withoutPermission = await send(world, body('+12125552368'));
    expect(withoutPermission.data.error).toMatchObject({ code: 200 });
    expect(withoutPermission.data.error.message).toContain('pages_messaging_phone_number');
    const sentTo = (await world.sim.control.sentMessages({ pageId: '500100200300777' })).map(
      (message) => message.recipient,
    );
    expect(sentTo).toEqual([{ phone_number: '+1 (212) 555-2368' }]);
  });
});
