import { PAGE_ID, send, startWorld, textTo, type World } from './harness';

describe('Send API validation', () => {
  let world: World;
  let psid: string;

  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(() => world.sim.stop());
  beforeEach(async () => {
    await world.sim.control.reset();
    ({ psid } = await world.sim.control.sendText('alice', PAGE_ID, 'hi'));
  });

  async function expectInvalid(body: Record<string, unknown>, messagePart: RegExp) {
    const response = await send(world, body);
    expect(response.status).toBe(400);
    expect(response.data.error).toMatchObject({ type: 'OAuthException', code: 100 });
    expect(response.data.error.message).toMatch(messagePart);
    expect(typeof response.data.error.fbtrace_id).toBe('string');
  }

  it('accepts a text reply inside the window and answers recipient_id and an m_ message id', async () => {
    const response = await send(world, textTo(psid));
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ recipient_id: psid, message_id: expect.stringMatching(/^m_/) });
    expect(response.headers['facebook-api-version']).toBe('v25.0');
  });

  it('accepts form-encoded sends with JSON-encoded values on /me/messages', async () => {
    const form = new URLSearchParams({
      recipient: JSON.stringify({ id: psid }),
      messaging_type: 'RESPONSE',
      message: JSON.stringify({ text: 'form' }),
      access_token: world.pageToken,
    });
    const response = await world.graph.post('/me/messages', form);
    expect(response.status).toBe(200);
    const [sent] = await world.sim.control.sentMessages({ psid });
    expect(sent).toMatchObject({ messagingType: 'RESPONSE', message: { text: 'form' } });
  });

  it('refuses text of 2000 characters or more', async () => {
    await expectInvalid(textTo(psid, 'x'.repeat(2000)), /message\[text\]/);
    expect((await send(world, textTo(psid, 'x'.repeat(1999)))).status).toBe(200);
  });

  it('refuses 14 quick replies', async () => {
    const quickReplies = Array.from({ length: 14 }, (_, i) => ({
      content_type: 'text',
      title: `Q${i}`,
      payload: `P${i}`,
    }));
    await expectInvalid(
      { ...textTo(psid), message: { text: 'pick', quick_replies: quickReplies } },
      /quick_replies/,
    );
  });

  it('truncates a quick reply title over 20 characters, as the doc says', async () => {
    const message = {
      text: 'pick',
      quick_replies: [{ content_type: 'text', title: 'y'.repeat(25), payload: 'P' }],
    };
    expect((await send(world, { ...textTo(psid), message })).status).toBe(200);
    const [sent] = await world.sim.control.sentMessages({ psid });
    expect((sent?.message?.quick_replies as { title: string }[])[0]?.title).toHaveLength(20);
  });

  it('refuses a quick reply payload over 1000 characters', async () => {
    const message = {
      text: 'pick',
      quick_replies: [{ content_type: 'text', title: 'ok', payload: 'p'.repeat(1001) }],
    };
    await expectInvalid({ ...textTo(psid), message }, /payload/);
  });

  it('refuses sender_action together with message', async () => {
    await expectInvalid({ ...textTo(psid), sender_action: 'typing_on' }, /sender_action/);
  });

  it('answers a sender_action with recipient_id only', async () => {
    const response = await send(world, { recipient: { id: psid }, sender_action: 'typing_on' });
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ recipient_id: psid });
  });

  it('refuses an unknown messaging_type, a missing one, and MESSAGE_TAG without a tag', async () => {
    await expectInvalid(textTo(psid, 'x', { messaging_type: 'PROMO' }), /messaging_type/);
    await expectInvalid({ recipient: { id: psid }, message: { text: 'x' } }, /messaging_type/);
    await expectInvalid(textTo(psid, 'x', { messaging_type: 'MESSAGE_TAG' }), /Tag is required/);
    await expectInvalid(textTo(psid, 'x', { messaging_type: 'MESSAGE_TAG', tag: 'PROMOTION' }), /tag/);
  });

  it('refuses a recipient with two kinds or none', async () => {
    await expectInvalid({ ...textTo(psid), recipient: { id: psid, user_ref: 'u' } }, /recipient/);
    await expectInvalid({ ...textTo(psid), recipient: {} }, /recipient/);
  });

  it('refuses metadata of 1000 characters or more', async () => {
    await expectInvalid({ ...textTo(psid), message: { text: 'x', metadata: 'm'.repeat(1000) } }, /metadata/);
  });

  it('enforces generic and button template limits', async () => {
    const element = {
      title: 'Cake',
      subtitle: 'Fresh',
      buttons: [{ type: 'postback', title: 'Buy', payload: 'BUY' }],
    };
    const generic = (elements: unknown[]) => ({
      ...textTo(psid),
      message: { attachment: { type: 'template', payload: { template_type: 'generic', elements } } },
    });
    expect((await send(world, generic([element]))).status).toBe(200);
    await expectInvalid(generic(Array.from({ length: 11 }, () => element)), /elements/);
    await expectInvalid(generic([{ ...element, title: 't'.repeat(81) }]), /title/);
    const fourButtons = Array.from({ length: 4 }, () => ({ type: 'postback', title: 'b', payload: 'p' }));
    await expectInvalid(generic([{ ...element, buttons: fourButtons }]), /buttons/);
    const buttonTemplate = (text: string, buttons: unknown[]) => ({
      ...textTo(psid),
      message: { attachment: { type: 'template', payload: { template_type: 'button', text, buttons } } },
    });
    await expectInvalid(buttonTemplate('t'.repeat(641), [element.buttons[0]]), /text/);
    await expectInvalid(buttonTemplate('ok', []), /buttons/);
  });

  describe('button limits (UNCONFIRMED, so settings)', () => {
    const withButton = (button: Record<string, unknown>) => ({
      ...textTo(psid),
      message: {
        attachment: {
          type: 'template',
          payload: { template_type: 'button', text: 'Pick one', buttons: [button] },
        },
      },
    });
    const postback = (title: string, payload = 'P') => withButton({ type: 'postback', title, payload });

    it('refuses a button title over 20 characters and a postback payload over 1000 by default', async () => {
      expect((await send(world, postback('t'.repeat(20)))).status).toBe(200);
      await expectInvalid(postback('t'.repeat(21)), /buttons\]\[0\]\[title\].*20/);
      await expectInvalid(
        withButton({ type: 'web_url', url: 'https://example.com', title: 'w'.repeat(21) }),
        /title/,
      );
      expect((await send(world, postback('Buy', 'p'.repeat(1000)))).status).toBe(200);
      await expectInvalid(postback('Buy', 'p'.repeat(1001)), /payload.*1000/);
    });

    it('takes both limits from the policy settings', async () => {
      await world.sim.control.setPolicy({ buttonTitleMaxLength: 30, buttonPayloadMaxLength: 10 });
      expect((await send(world, postback('t'.repeat(30)))).status).toBe(200);
      await expectInvalid(postback('t'.repeat(31)), /title.*30/);
      await expectInvalid(postback('Buy', 'p'.repeat(11)), /payload.*10/);
    });

    it('asks no title of an account linking button', async () => {
      const response = await send(
        world,
        withButton({ type: 'account_link', url: 'https://example.com/login' }),
      );
      expect(response.status).toBe(200);
    });
  });

  it('accepts a utility template that names its template and refuses one without a name', async () => {
    const utility = (payload: Record<string, unknown>) => ({
      ...textTo(psid),
      message: { attachment: { type: 'template', payload: { template_type: 'utility', ...payload } } },
    });
    expect((await send(world, utility({ name: 'order_shipped', language: 'en_US' }))).status).toBe(200);
    await expectInvalid(utility({ language: 'en_US' }), /\[name\]/);
  });

  it('answers 2018001 for a PSID the Page has never seen', async () => {
    const response = await send(world, textTo('1234567890'));
    expect(response.data.error).toMatchObject({ code: 100, error_subcode: 2018001 });
  });

  it('records every refusal as a violation with the request body', async () => {
    await send(world, textTo(psid, 'x'.repeat(2000)));
    const [violation] = await world.sim.control.violations({ pageId: PAGE_ID });
    expect(violation).toMatchObject({
      endpoint: `POST /${PAGE_ID}/messages`,
      pageId: PAGE_ID,
      psid,
      code: 100,
      body: { recipient: { id: psid }, messaging_type: 'RESPONSE' },
    });
    expect(violation?.body).not.toHaveProperty('access_token');
  });
});
