import { useTestDatabase } from '../support/database';
import { TEXT, createExampleBot, messagesTo, newPerson, textsOf } from './bot-fixtures';
import { OTHER_PAGE, PAGE, advanceBothClocks, settle, startBotWorld, type BotWorld } from './bots-harness';

const GET_STARTED = 'START_SHOES';
const MINUTE = 60 * 1000;

describe('the Messenger Profile agrees with the bot and keeps within Meta’s budget', () => {
  useTestDatabase();
  let world: BotWorld;
  let otherPageId: string;

  beforeAll(async () => {
    world = await startBotWorld({ BOT_GET_STARTED_PAYLOAD: GET_STARTED });
    await createExampleBot(world);
    const pages = (await world.admin.agent.get('/api/pages')).body.data as { id: string; fbPageId: string }[];
    otherPageId = pages.find((page) => page.fbPageId === OTHER_PAGE)?.id ?? '';
    // Meta's own limit out of the way: only Pagewire's budget may refuse here.
    await world.sim.control.setRateLimits({ messengerProfileCallsPer10Min: 1000 });
  });
  afterAll(() => world.stop());

  const putProfile = (pageId: string, body: object) =>
    world.admin.agent.put(`/api/bot/profile/${pageId}`).set(world.admin.csrf).send(body);

  it('every profile call sets Get Started to the payload the bot answers, so Get Started gets the welcome', async () => {
    // A menu alone: Meta refuses a persistent menu on a Page without Get Started, so it comes along.
    const res = await putProfile(world.pageId, {
      persistentMenu: [{ type: 'postback', title: 'Opening hours', payload: 'SHOW_HOURS' }],
    });
    expect(res.status).toBe(200);
    expect((await world.sim.control.page(PAGE)).messengerProfile).toMatchObject({
      get_started: { payload: GET_STARTED },
    });

    const person = await newPerson(world, 'Gwen');
    await world.sim.control.getStarted(person, PAGE);
    await settle(world);
    expect(textsOf(await messagesTo(world, person))).toEqual([TEXT.welcome]);
    expect(await world.sim.control.violations()).toEqual([]);
  });

  it('a Get Started payload the bot does not answer is refused with a 400 naming the one it does', async () => {
    const before = (await world.sim.control.page(OTHER_PAGE)).messengerProfile;
    const res = await putProfile(otherPageId, { getStartedPayload: 'SOMETHING_ELSE', greeting: 'Hello' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ field: 'getStartedPayload', expected: GET_STARTED });
    expect((await world.sim.control.page(OTHER_PAGE)).messengerProfile).toEqual(before);

    const same = await putProfile(otherPageId, { getStartedPayload: GET_STARTED });
    expect(same.status).toBe(200);
  });

  it('the budget of 10 calls per 10 minutes survives a restart, and frees up once the 10 minutes pass', async () => {
    await advanceBothClocks(world, 11 * MINUTE); // calls of earlier tests out of the window
    const update = (greeting: string) => putProfile(otherPageId, { greeting });
    for (let call = 1; call <= 10; call += 1) expect((await update(`Hello ${call}`)).status).toBe(200);

    await world.app.restart();
    const eleventh = await update('Hello 11');
    expect(eleventh.status).toBe(429);
    expect(eleventh.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(eleventh.body.retryAt).toEqual(expect.any(String));
    expect((await world.sim.control.page(OTHER_PAGE)).messengerProfile).toMatchObject({
      greeting: [{ locale: 'default', text: 'Hello 10' }],
    });

    await advanceBothClocks(world, 10 * MINUTE);
    expect((await update('Hello again')).status).toBe(200);
    expect(await world.sim.control.violations()).toEqual([]);
  });

  it('reading the profile answers what Meta holds, and each read spends a call of the budget as Meta counts it', async () => {
    await advanceBothClocks(world, 11 * MINUTE);
    const settings = {
      greeting: 'Hi {{user_first_name}}!',
      persistentMenu: [
        { type: 'postback', title: 'Opening hours', payload: 'SHOW_HOURS' },
        { type: 'web_url', title: 'Shop', url: 'https://shoes.example.com/' },
      ],
      iceBreakers: [{ question: 'Are you open today?', payload: 'SHOW_HOURS' }],
    };
    const put = await putProfile(otherPageId, settings);
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      data: { getStartedPayload: GET_STARTED, ...settings },
      budget: { limit: 10, windowMinutes: 10, remaining: 9, nextFreeAt: null },
    });

    const read = await world.admin.agent.get(`/api/bot/profile/${otherPageId}`);
    expect(read.status).toBe(200);
    expect(read.body.data).toEqual({ getStartedPayload: GET_STARTED, ...settings });
    expect(read.body.budget.remaining).toBe(8);

    for (let call = 3; call <= 10; call += 1) {
      expect((await world.admin.agent.get(`/api/bot/profile/${otherPageId}`)).status).toBe(200);
    }
    const spent = await world.admin.agent.get(`/api/bot/profile/${otherPageId}`);
    expect(spent.status).toBe(429);
    expect(spent.body.retryAt).toEqual(expect.any(String));
    expect(await world.sim.control.violations()).toEqual([]);
  });

  it('Meta refusing a read for its own limit answers 429 in plain words, and ids that are not a Page 404', async () => {
    await advanceBothClocks(world, 11 * MINUTE);
    // Meta allows one call where Pagewire's budget still has ten: only Meta can refuse the second.
    await world.sim.control.setRateLimits({ messengerProfileCallsPer10Min: 1 });
    try {
      expect((await world.admin.agent.get(`/api/bot/profile/${otherPageId}`)).status).toBe(200);
      const refused = await world.admin.agent.get(`/api/bot/profile/${otherPageId}`);
      expect(refused.status).toBe(429);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body.detail).toMatch(/too many Messenger Profile/);
    } finally {
      await world.sim.control.setRateLimits({ messengerProfileCallsPer10Min: 1000 });
    }
    expect((await world.admin.agent.get('/api/bot/profile/nope')).status).toBe(404);
    expect((await world.admin.agent.get('/api/bot/profile/000000000000000000000000')).status).toBe(404);
  });

  it('Meta failing a profile call answers 502 with the reason in plain words, never a 500', async () => {
    await world.sim.control.setFaults({ next: ['server_error'], appliesTo: 'all' });
    try {
      const res = await putProfile(otherPageId, { greeting: 'Hello there' });
      expect(res.status).toBe(502);
      expect(res.body).toMatchObject({
        type: expect.stringContaining('meta-refused'),
        reason: expect.any(String),
      });
    } finally {
      await world.sim.control.setFaults({ next: [], appliesTo: 'messages' });
    }
  });
});
