import { OTHER_PAGE_ID, PAGE_ID, Receiver, send, startWorld, textTo, type World } from './harness';

describe('profiles, Messenger Profile, comments, handover and attachments', () => {
  let world: World;
  let receiver: Receiver;
  let params: { access_token: string };

  beforeAll(async () => {
    receiver = await new Receiver().start();
    world = await startWorld({ webhook: { callbackUrl: receiver.url } });
    params = { access_token: world.pageToken };
  });
  afterAll(async () => {
    await world.sim.stop();
    await receiver.stop();
  });
  beforeEach(async () => {
    await world.sim.control.reset();
    receiver.received.length = 0;
  });

  it('answers a profile only after the person started the conversation', async () => {
    const psid = await world.sim.control.psidFor('bjorn', PAGE_ID);
    const before = await world.graph.get(`/${psid}`, {
      params: { ...params, fields: 'first_name,last_name,profile_pic' },
    });
    expect(before.data.error).toMatchObject({ code: 100, error_subcode: 2018218 });
    await world.sim.control.sendText('bjorn', PAGE_ID, 'hej');
    const after = await world.graph.get(`/${psid}`, {
      params: { ...params, fields: 'first_name,last_name,profile_pic' },
    });
    expect(after.data).toEqual({
      id: psid,
      first_name: 'Björn',
      last_name: 'Åberg',
      profile_pic: expect.stringMatching(/^https:/),
    });
  });

  it('gives the same person different, stable PSIDs on different Pages', async () => {
    const first = await world.sim.control.psidFor('alice', PAGE_ID);
    expect(await world.sim.control.psidFor('alice', PAGE_ID)).toBe(first);
    expect(await world.sim.control.psidFor('alice', '500100200300999')).not.toBe(first);
    expect(first).toMatch(/^\d{16}$/);
  });

  it('stores the Messenger Profile and refuses the 11th call within 10 minutes with 613', async () => {
    const profile = {
      get_started: { payload: 'GET_STARTED' },
      greeting: [{ locale: 'default', text: 'Hi {{user_first_name}}!' }],
      persistent_menu: [
        {
          locale: 'default',
          composer_input_disabled: false,
          call_to_actions: [{ type: 'postback', title: 'Menu', payload: 'MENU' }],
        },
      ],
      ice_breakers: [{ locale: 'default', call_to_actions: [{ question: 'Open today?', payload: 'HOURS' }] }],
    };
    expect((await world.graph.post('/me/messenger_profile', profile, { params })).data).toEqual({
      result: 'success',
    });
    const read = await world.graph.get('/me/messenger_profile', {
      params: { ...params, fields: 'get_started,greeting' },
    });
    expect(read.data).toEqual({ data: [{ get_started: profile.get_started, greeting: profile.greeting }] });
    const tooLong = await world.graph.post(
      '/me/messenger_profile',
      { greeting: [{ locale: 'default', text: 'g'.repeat(161) }] },
      { params },
    );
    expect(tooLong.data.error.code).toBe(100);
    for (let call = 4; call <= 10; call++) {
      expect((await world.graph.get('/me/messenger_profile', { params })).status).toBe(200);
    }
    expect((await world.graph.get('/me/messenger_profile', { params })).data.error.code).toBe(613);
    await world.sim.control.advanceTime(10 * 60_000);
    expect((await world.graph.get('/me/messenger_profile', { params })).status).toBe(200);
  });

  it('lists the Page’s published posts newest first, a page at a time, with only the fields asked for', async () => {
    for (const message of ['First', 'Second', 'Third']) {
      await world.graph.post(`/${PAGE_ID}/feed`, { message }, { params });
      await world.sim.control.advanceTime(1000);
    }
    const fields = 'id,message,created_time,permalink_url';
    const first = await world.graph.get(`/${PAGE_ID}/published_posts`, {
      params: { ...params, fields, limit: 2 },
    });
    expect(first.data.data).toEqual([
      {
        id: expect.stringMatching(new RegExp(`^${PAGE_ID}_\\d+$`)),
        message: 'Third',
        created_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/),
        permalink_url: expect.stringMatching(/^https:\/\/www\.facebook\.com\//),
      },
      expect.objectContaining({ message: 'Second' }),
    ]);
    const after = first.data.paging.cursors.after as string;
    expect(first.data.paging.next).toEqual(expect.stringContaining(`after=${after}`));
    const rest = await world.graph.get(`/${PAGE_ID}/published_posts`, {
      params: { ...params, fields, limit: 2, after },
    });
    expect(rest.data.data.map((post: { message: string }) => post.message)).toEqual(['First']);
    expect(rest.data.paging.next).toBeUndefined();

    const plain = await world.graph.get(`/${PAGE_ID}/published_posts`, { params });
    expect(Object.keys(plain.data.data[0]).sort()).toEqual(['created_time', 'id', 'message']);
    const unknown = await world.graph.get(`/${PAGE_ID}/published_posts`, {
      params: { ...params, fields: 'id,secret' },
    });
    expect(unknown.data.error.code).toBe(100);
    const otherPage = await world.graph.get(`/${OTHER_PAGE_ID}/published_posts`, { params });
    expect(otherPage.data.error).toBeDefined();
  });

  it('publishes a post, replies publicly as the Page, hides a comment and deletes the post', async () => {
    const post = await world.graph.post(`/${PAGE_ID}/feed`, { message: 'Fresh bread' }, { params });
    expect(post.data.id).toMatch(new RegExp(`^${PAGE_ID}_\\d+$`));
    const { commentId } = await world.sim.control.comment('alice', post.data.id, 'Gluten free?');
    const reply = await world.graph.post(`/${commentId}/comments`, { message: 'Yes!' }, { params });
    expect(reply.data.id).toMatch(/^\d+_\d+$/);
    const comments = await world.graph.get(`/${post.data.id}/comments`, { params });
    expect(comments.data.data).toEqual([expect.objectContaining({ id: commentId, message: 'Gluten free?' })]);
    expect(
      (await world.graph.post(`/${commentId}`, null, { params: { ...params, is_hidden: 'true' } })).data,
    ).toEqual({ success: true });
    await world.sim.control.waitForWebhookIdle();
    const values = receiver.received.flatMap((received) =>
      received.json.entry.flatMap((entry) =>
        (entry.changes as { value: Record<string, unknown> }[]).map((change) => change.value),
      ),
    );
    expect(values.find((value) => value.comment_id === reply.data.id)).toMatchObject({
      from: { id: PAGE_ID, name: 'Test Bakery' },
      parent_id: commentId,
      verb: 'add',
    });
    expect(values.at(-1)).toMatchObject({ comment_id: commentId, verb: 'hide' });
    expect((await world.graph.delete(`/${post.data.id}`, { params })).data).toEqual({ success: true });
    expect((await world.graph.get(`/${post.data.id}`, { params })).data.error.code).toBe(100);
  });

  it('passes thread control to the Page Inbox and takes it back', async () => {
    const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'human please');
    const pass = await world.graph.post(
      `/${PAGE_ID}/pass_thread_control`,
      { recipient: { id: psid }, target_app_id: '263902037430900', metadata: 'escalate' },
      { params },
    );
    expect(pass.data).toEqual({ success: true });
    const owner = await world.graph.get(`/${PAGE_ID}/thread_owner`, {
      params: { ...params, recipient: psid },
    });
    expect(owner.data).toEqual({ data: [{ thread_owner: { app_id: '263902037430900' } }] });
    expect((await send(world, textTo(psid))).data.error).toMatchObject({ code: 10, error_subcode: 2018300 });
    expect(
      (await world.graph.post(`/${PAGE_ID}/take_thread_control`, { recipient: { id: psid } }, { params }))
        .data,
    ).toEqual({ success: true });
    expect((await send(world, textTo(psid))).status).toBe(200);
  });

  it('uploads an attachment and sends it by attachment_id', async () => {
    const upload = await world.graph.post(
      `/${PAGE_ID}/message_attachments`,
      {
        message: {
          attachment: { type: 'image', payload: { url: 'https://cdn.example/cake.jpg', is_reusable: true } },
        },
      },
      { params },
    );
    expect(upload.data).toEqual({ attachment_id: expect.stringMatching(/^\d+$/) });
    const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'photo?');
    const message = { attachment: { type: 'image', payload: { attachment_id: upload.data.attachment_id } } };
    expect((await send(world, { ...textTo(psid), message })).status).toBe(200);
    const unknown = { attachment: { type: 'image', payload: { attachment_id: '999' } } };
    expect((await send(world, { ...textTo(psid), message: unknown })).data.error.code).toBe(100);
  });
});
