import { useTestDatabase } from '../support/database';
import { messagesTo, newPerson, writes } from './bot-fixtures';
import { PAGE, startBotWorld, type BotWorld } from './bots-harness';

const TOO_LONG_TITLE = 'Our spring collection'; // 21 characters: Meta refuses a button title over 20
const TWENTY_EMOJI = '👟'.repeat(20); // 20 characters as Meta counts them, 40 UTF-16 units

/**
 * What Meta would refuse at send time is refused when the block, capture or profile is saved: a 400 problem whose
 * issue names the field and the limit, and nothing reaches Meta.
 */
describe('content Meta would refuse is refused at the API edge', () => {
  useTestDatabase();
  let world: BotWorld;

  beforeAll(async () => {
    world = await startBotWorld();
  });
  afterAll(() => world.stop());

  const send = (method: 'post' | 'patch' | 'put', path: string, body: object) =>
    world.admin.agent[method](path).set(world.admin.csrf).send(body);
  const titled = (title: string) => ({
    text: 'Spring is here.',
    buttons: [{ type: 'postback', title, payload: 'SPRING' }],
  });
  const capture = (content: Record<string, unknown>) => ({
    page: world.pageId,
    name: 'Spring',
    target: { kind: 'any_post' },
    privateReply: { text: 'Thanks!' },
    ...content,
  });

  function expectRefused(
    res: { status: number; headers: Record<string, string>; body: unknown },
    path: string,
  ) {
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((res.body as { issues: unknown[] }).issues).toEqual([
      { path, message: expect.stringMatching(/at most \d+ characters/) },
    ]);
  }

  it.each<[string, () => [string, object], string]>([
    [
      'a block button',
      () => ['/api/bot/blocks', { page: world.pageId, name: 'b', content: titled(TOO_LONG_TITLE) }],
      'content.buttons.0.title',
    ],
    [
      'a block quick reply',
      () => [
        '/api/bot/blocks',
        {
          page: world.pageId,
          name: 'b',
          content: { text: 'Hi', quickReplies: [{ title: TOO_LONG_TITLE, payload: 'X' }] },
        },
      ],
      'content.quickReplies.0.title',
    ],
    [
      'a capture private reply button',
      () => ['/api/captures', capture({ privateReply: titled(TOO_LONG_TITLE) })],
      'privateReply.buttons.0.title',
    ],
    [
      'a capture follow-up button',
      () => ['/api/captures', capture({ followUp: titled(TOO_LONG_TITLE) })],
      'followUp.buttons.0.title',
    ],
  ])('%s titled over 20 characters is refused with a 400 naming the field', async (_name, request, path) => {
    const [url, body] = request();
    expectRefused(await send('post', url, body), path);
    expect(await world.sim.control.sentMessages({ pageId: PAGE })).toEqual([]);
  });

  it('changing a block or a capture to a title over 20 characters is refused the same way', async () => {
    const block = await send('post', '/api/bot/blocks', {
      page: world.pageId,
      name: 'ok',
      content: { text: 'Hi' },
    });
    expect(block.status).toBe(201);
    expectRefused(
      await send('patch', `/api/bot/blocks/${block.body._id}`, { content: titled(TOO_LONG_TITLE) }),
      'content.buttons.0.title',
    );
    const created = await send('post', '/api/captures', capture({}));
    expect(created.status).toBe(201);
    expectRefused(
      await send('patch', `/api/captures/${created.body._id}`, { privateReply: titled(TOO_LONG_TITLE) }),
      'privateReply.buttons.0.title',
    );
  });

  it.each([
    [
      'a menu item title over 30 characters',
      { persistentMenu: [{ type: 'postback', title: 'x'.repeat(31), payload: 'P' }] },
      'persistentMenu.0.title',
    ],
    [
      'an ice breaker question over 80 characters',
      { iceBreakers: [{ question: 'x'.repeat(81), payload: 'P' }] },
      'iceBreakers.0.question',
    ],
    ['a greeting over 160 characters', { greeting: 'x'.repeat(161) }, 'greeting'],
  ])('a Messenger Profile with %s is refused with a 400 before Meta is called', async (_name, body, path) => {
    const before = (await world.sim.control.page(PAGE)).messengerProfile;
    expectRefused(await send('put', `/api/bot/profile/${world.pageId}`, body), path);
    expect((await world.sim.control.page(PAGE)).messengerProfile).toEqual(before);
  });

  it('a title of 20 characters as Meta counts them (an emoji is one) is accepted and Meta delivers it', async () => {
    const block = await send('post', '/api/bot/blocks', {
      page: world.pageId,
      name: 'emoji',
      content: titled(TWENTY_EMOJI),
    });
    expect(block.status).toBe(201);
    const rule = await send('post', '/api/bot/rules', {
      page: world.pageId,
      kind: 'keyword',
      keywords: ['spring'],
      block: block.body._id,
    });
    expect(rule.status).toBe(201);
    const person = await newPerson(world, 'Emi');
    await writes(world, person, 'spring?');
    const [sent] = await messagesTo(world, person);
    expect(sent?.message?.attachment).toMatchObject({
      payload: { buttons: [expect.objectContaining({ title: TWENTY_EMOJI })] },
    });
    expect(await world.sim.control.violations()).toEqual([]);
  });

  it('content being typed is measured as Meta counts it, with what saving it would refuse', async () => {
    const check = (content: object) => send('post', '/api/bot/content/check', { content });
    const draft = await check({
      text: 'Spring is here.',
      buttons: [{ type: 'postback', title: TWENTY_EMOJI, payload: 'SPRING' }],
      quickReplies: [{ title: TOO_LONG_TITLE, payload: 'MORE' }],
    });
    expect(draft.status).toBe(200);
    expect(draft.body.counts).toEqual([
      { path: 'text', count: 15, max: 640 },
      { path: 'buttons', count: 1, max: 3 },
      { path: 'buttons.0.title', count: 20, max: 20 },
      { path: 'quickReplies', count: 1, max: 13 },
      { path: 'quickReplies.0.title', count: 21, max: 20 },
    ]);
    expect(draft.body.issues).toEqual([
      { path: 'quickReplies.0.title', message: expect.stringMatching(/at most 20 characters/) },
    ]);

    const plain = await check({ text: 'Hello' });
    expect(plain.body.counts[0]).toEqual({ path: 'text', count: 5, max: 1999 });
    expect(plain.body.issues).toEqual([]);
    const half = await check({ text: '', buttons: [{ title: 'Go' }] });
    expect(half.status).toBe(200);
    expect(half.body.issues.map((issue: { path: string }) => issue.path)).toEqual(
      expect.arrayContaining(['text', 'buttons.0.type']),
    );

    expect((await check({ text: 5 })).status).toBe(400);
    expect((await send('post', '/api/bot/content/check', { content: {}, extra: 1 })).status).toBe(400);
  });

  it('a Messenger Profile greeting being typed is counted as the save counts it: trimmed, an emoji one character', async () => {
    const check = (greeting: unknown) => send('post', '/api/bot/profile/greeting/check', { greeting });
    const fits = await check(`  Hi {{user_first_name}} ${'🌷'.repeat(3)}  `);
    expect(fits.status).toBe(200);
    expect(fits.body).toEqual({ counts: [{ path: 'greeting', count: 26, max: 160 }], issues: [] });
    const tooLong = await check('x'.repeat(161));
    expect(tooLong.body.counts).toEqual([{ path: 'greeting', count: 161, max: 160 }]);
    expect(tooLong.body.issues).toEqual([
      { path: 'greeting', message: expect.stringMatching(/at most 160/) },
    ]);
    expect((await check(5)).status).toBe(400);
    expect((await send('post', '/api/bot/profile/greeting/check', { greeting: 'a', extra: 1 })).status).toBe(
      400,
    );
  });
});
