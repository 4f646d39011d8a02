import { DAY, HOUR, OTHER_PAGE_ID, PAGE_ID, send, startWorld, textTo, type World } from './harness';

describe('Messenger policy as Meta enforces it', () => {
  let world: World;

  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(() => world.sim.stop());
  beforeEach(() => world.sim.control.reset());

  async function expectRefused(
    body: Record<string, unknown>,
    code: number,
    subcode?: number,
    token?: string,
  ) {
    const response = await send(world, body, token);
    expect(response.status).toBe(400);
    expect(response.data.error.code).toBe(code);
    if (subcode !== undefined) expect(response.data.error.error_subcode).toBe(subcode);
    const violations = await world.sim.control.violations({ pageId: PAGE_ID });
    expect(violations.at(-1)).toMatchObject({ code, ...(subcode !== undefined ? { subcode } : {}) });
    return response;
  }

  it('refuses RESPONSE and UPDATE 24 hours after the last message with 10/2018278', async () => {
    const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'hi');
    await world.sim.control.advanceTime(23 * HOUR);
    expect((await send(world, textTo(psid))).status).toBe(200);
    await world.sim.control.advanceTime(2 * HOUR);
    await expectRefused(textTo(psid), 10, 2018278);
    await expectRefused(textTo(psid, 'x', { messaging_type: 'UPDATE' }), 10, 2018278);
  });

  it('reopens the window on a postback, a quick reply or a reaction but not on a comment', async () => {
    const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'hi');
    await world.sim.control.advanceTime(2 * DAY);
    const { postId } = await world.sim.control.createPost(PAGE_ID, 'New cakes');
    await world.sim.control.comment('alice', postId, 'Price?');
    await expectRefused(textTo(psid), 10, 2018278);
    await world.sim.control.react('alice', PAGE_ID, { mid: 'm_x', reaction: 'love' });
    expect((await send(world, textTo(psid))).status).toBe(200);
    await world.sim.control.advanceTime(2 * DAY);
    await world.sim.control.postback('alice', PAGE_ID, { title: 'Menu', payload: 'MENU' });
    expect((await send(world, textTo(psid))).status).toBe(200);
  });

  it('accepts HUMAN_AGENT up to 7 days after the last message and refuses it after', async () => {
    const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'help');
    const humanAgent = textTo(psid, 'Agent here', { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    await world.sim.control.advanceTime(6 * DAY);
    expect((await send(world, humanAgent)).status).toBe(200);
    await world.sim.control.advanceTime(DAY + HOUR);
    await expectRefused(humanAgent, 10, 2018278);
  });

  it('accepts other tags outside the window and records the tag used', async () => {
    const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'order?');
    await world.sim.control.advanceTime(3 * DAY);
    const tagged = textTo(psid, 'Shipped', { messaging_type: 'MESSAGE_TAG', tag: 'POST_PURCHASE_UPDATE' });
    expect((await send(world, tagged)).status).toBe(200);
    const [sent] = await world.sim.control.sentMessages({ psid });
    expect(sent).toMatchObject({ messagingType: 'MESSAGE_TAG', tag: 'POST_PURCHASE_UPDATE' });
  });

  it("a postback reopens the window but does not restart HUMAN_AGENT's 7 days, which run from the last message", async () => {
    const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'help');
    await world.sim.control.advanceTime(6 * DAY);
    await world.sim.control.postback('alice', PAGE_ID, { title: 'Menu', payload: 'MENU' });
    expect((await send(world, textTo(psid))).status).toBe(200);
    await world.sim.control.advanceTime(2 * DAY);
    const humanAgent = textTo(psid, 'Agent here', { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    await expectRefused(humanAgent, 10, 2018278);
  });

  describe('UTILITY', () => {
    const utilityTemplate = (psid: string, components: unknown[] = []) => ({
      recipient: { id: psid },
      messaging_type: 'UTILITY',
      message: {
        attachment: {
          type: 'template',
          payload: { template_type: 'utility', name: 'order_shipped', language: 'en_US', components },
        },
      },
    });

    it('refuses a plain text message under UTILITY, 48 hours after the last message or inside the window', async () => {
      const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'order?');
      await expectRefused(textTo(psid, 'Your order', { messaging_type: 'UTILITY' }), 100);
      await world.sim.control.advanceTime(48 * HOUR);
      const response = await expectRefused(textTo(psid, 'Your order', { messaging_type: 'UTILITY' }), 100);
      expect(response.data.error.message).toMatch(/utility template/);
      expect(await world.sim.control.sentMessages({ psid })).toEqual([]);
    });

    it('lets a utility template reach a person outside the window', async () => {
      const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'order?');
      await world.sim.control.advanceTime(48 * HOUR);
      expect((await send(world, utilityTemplate(psid))).status).toBe(200);
      const [sent] = await world.sim.control.sentMessages({ psid });
      expect(sent).toMatchObject({ messagingType: 'UTILITY' });
    });

    it('refuses a utility template that promotes', async () => {
      const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'order?');
      await world.sim.control.advanceTime(48 * HOUR);
      const body = [{ type: 'body', parameters: [{ type: 'text', text: 'Sale ends tonight' }] }];
      await expectRefused(utilityTemplate(psid, body), 368);
    });
  });

  describe('tag purpose', () => {
    const tagged = (psid: string, tag: string, text: string) =>
      textTo(psid, text, { messaging_type: 'MESSAGE_TAG', tag });

    it.each(['CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE'])(
      'refuses a promotional %s with 368 and records it as a violation',
      async (tag) => {
        const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'hi');
        await world.sim.control.advanceTime(3 * DAY);
        const response = await expectRefused(
          tagged(psid, tag, 'Your order shipped. 20% OFF your next one!'),
          368,
        );
        expect(response.data.error.message).toMatch(new RegExp(`${tag}.*promotional.*% off`));
        expect(await world.sim.control.sentMessages({ psid })).toEqual([]);
      },
    );

    it('reads button titles too, and matches words where they start ("ideal" is no deal)', async () => {
      const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'hi');
      await world.sim.control.advanceTime(3 * DAY);
      expect(
        (await send(world, tagged(psid, 'POST_PURCHASE_UPDATE', 'The ideal gift has shipped'))).status,
      ).toBe(200);
      const withButton = {
        ...tagged(psid, 'POST_PURCHASE_UPDATE', ''),
        message: {
          attachment: {
            type: 'template',
            payload: {
              template_type: 'button',
              text: 'Your order shipped',
              buttons: [{ type: 'postback', title: 'See deals', payload: 'DEALS' }],
            },
          },
        },
      };
      await expectRefused(withButton, 368);
    });

    it('leaves HUMAN_AGENT and the open window alone: promotion is allowed there', async () => {
      const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'hi');
      expect((await send(world, textTo(psid, 'Big sale today'))).status).toBe(200);
      await world.sim.control.advanceTime(3 * DAY);
      expect((await send(world, tagged(psid, 'HUMAN_AGENT', 'We have a coupon for you'))).status).toBe(200);
    });

    it('takes the word list from settings', async () => {
      await world.sim.control.setPolicy({ promotionalWords: ['flash'] });
      const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'hi');
      await world.sim.control.advanceTime(3 * DAY);
      expect((await send(world, tagged(psid, 'ACCOUNT_UPDATE', 'Password changed; 50% off'))).status).toBe(
        200,
      );
      await expectRefused(tagged(psid, 'ACCOUNT_UPDATE', 'FLASH offer on your account'), 368);
    });

    it("under action 'record' accepts the send and records the misuse with the configured code", async () => {
      await world.sim.control.setPolicy({
        promotionalMisuse: { action: 'record', code: 100, subcode: 2018999 },
      });
      const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'hi');
      await world.sim.control.advanceTime(3 * DAY);
      const response = await send(world, tagged(psid, 'CONFIRMED_EVENT_UPDATE', 'Promo code inside'));
      expect(response.status).toBe(200);
      expect(await world.sim.control.sentMessages({ psid })).toHaveLength(1);
      expect(await world.sim.control.violations({ psid })).toEqual([
        expect.objectContaining({ code: 100, subcode: 2018999, message: expect.stringMatching(/promo/) }),
      ]);
    });
  });

  it('allows one private reply per comment; the second gets 10900', async () => {
    const { postId } = await world.sim.control.createPost(PAGE_ID, 'Giveaway');
    const { commentId } = await world.sim.control.comment('alice', postId, 'Me!');
    const reply = {
      recipient: { comment_id: commentId },
      messaging_type: 'RESPONSE',
      message: { text: 'DM' },
    };
    const first = await send(world, reply);
    expect(first.status).toBe(200);
    expect(first.data.recipient_id).toBe(await world.sim.control.psidFor('alice', PAGE_ID));
    await expectRefused(reply, 10900);
  });

  it('refuses a private reply after 7 days with 10903', async () => {
    const { postId } = await world.sim.control.createPost(PAGE_ID, 'Giveaway');
    const { commentId } = await world.sim.control.comment('alice', postId, 'Me!');
    await world.sim.control.advanceTime(7 * DAY + HOUR);
    await expectRefused(
      { recipient: { comment_id: commentId }, messaging_type: 'RESPONSE', message: { text: 'DM' } },
      10903,
    );
  });

  it("refuses a private reply to the Page's own comment with 10903", async () => {
    const { postId } = await world.sim.control.createPost(PAGE_ID, 'Giveaway');
    const own = await world.graph.post(
      `/${postId}/comments`,
      { message: 'Rules inside' },
      { params: { access_token: world.pageToken } },
    );
    expect(own.status).toBe(200);
    await expectRefused(
      { recipient: { comment_id: own.data.id }, messaging_type: 'RESPONSE', message: { text: 'DM' } },
      10903,
    );
  });

  it('a private reply does not open the 24-hour window', async () => {
    const { postId } = await world.sim.control.createPost(PAGE_ID, 'Giveaway');
    const { commentId } = await world.sim.control.comment('alice', postId, 'Me!');
    const reply = await send(world, {
      recipient: { comment_id: commentId },
      messaging_type: 'RESPONSE',
      message: { text: 'DM' },
    });
    await expectRefused(textTo(reply.data.recipient_id as string, 'follow-up'), 10, 2018278);
  });

  it('refuses a person who blocked the Page with 551/1545041 until they unblock', async () => {
    const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'hi');
    await world.sim.control.blockPage('alice', PAGE_ID);
    await expectRefused(textTo(psid), 551, 1545041);
    await world.sim.control.unblockPage('alice', PAGE_ID);
    expect((await send(world, textTo(psid))).status).toBe(200);
  });

  it('refuses a revoked Page token with 190 and accepts the fresh one', async () => {
    const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'hi');
    const { accessToken } = await world.sim.control.revokePageToken(PAGE_ID, 'password_changed');
    await expectRefused(textTo(psid), 190, 460);
    expect((await send(world, textTo(psid), accessToken)).status).toBe(200);
    const garbage = await send(world, textTo(psid), 'not-a-token');
    expect(garbage.data.error.code).toBe(190);
  });

  it('refuses a Page whose pages_messaging permission was revoked with 200', async () => {
    const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'hi');
    await world.sim.control.revokePermission({ pageId: PAGE_ID }, 'pages_messaging');
    const response = await expectRefused(textTo(psid), 200);
    expect(response.data.error.message).toMatch(/pages_messaging/);
  });

  it('refuses a thread owned by another app with 10/2018300', async () => {
    const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'agent please');
    await world.sim.control.setThreadOwner(PAGE_ID, psid, '263902037430900');
    await expectRefused(textTo(psid), 10, 2018300);
  });

  it("refuses another Page's token on this Page", async () => {
    const info = await world.sim.control.info();
    const otherToken = info.pages.find((page) => page.id === OTHER_PAGE_ID)?.accessToken;
    const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'hi');
    const response = await send(world, textTo(psid), otherToken);
    expect(response.data.error.code).toBe(100);
  });

  it('requires and checks appsecret_proof when the app demands it', async () => {
    const strict = await startWorld({ requireAppSecretProof: true });
    try {
      const { psid } = await strict.sim.control.sendText('alice', PAGE_ID, 'hi');
      const missing = await send(strict, textTo(psid));
      expect(missing.data.error).toMatchObject({
        code: 100,
        message: expect.stringMatching(/appsecret_proof/),
      });
      const { createHmac } = await import('node:crypto');
      const proof = createHmac('sha256', strict.sim.appSecret).update(strict.pageToken).digest('hex');
      const ok = await strict.graph.post(`/${PAGE_ID}/messages`, textTo(psid), {
        params: { access_token: strict.pageToken, appsecret_proof: proof },
      });
      expect(ok.status).toBe(200);
    } finally {
      await strict.sim.stop();
    }
  });

  it('enforces marketing message tokens: STOP refuses, and 48 hours between sends', async () => {
    await world.sim.control.sendText('alice', PAGE_ID, 'hi');
    const { notificationMessagesToken } = await world.sim.control.optIn('alice', PAGE_ID, {
      type: 'notification_messages',
      title: 'Deals',
    });
    const marketing = {
      recipient: { notification_messages_token: notificationMessagesToken },
      message: { text: 'Weekly deals' },
      messaging_type: 'UPDATE',
    };
    expect((await send(world, marketing)).status).toBe(200);
    await expectRefused(marketing, 4, 2018354);
    await world.sim.control.advanceTime(49 * HOUR);
    await world.sim.control.optIn('alice', PAGE_ID, {
      type: 'notification_messages_status',
      status: 'STOP_NOTIFICATIONS',
    });
    await expectRefused(marketing, 10);
  });
});
