import type { LoggedInUser } from '../support/app-harness';
import { useTestDatabase } from '../support/database';
import { OTHER_PAGE, PAGE, inviteAgent, inviteMarketer, startBotWorld, type BotWorld } from './bots-harness';

describe('bot rules, blocks and the Messenger Profile over REST', () => {
  useTestDatabase();
  let world: BotWorld;
  let admin: LoggedInUser;
  let carol: LoggedInUser;
  let mia: LoggedInUser;
  let otherPageId: string;

  beforeAll(async () => {
    world = await startBotWorld();
    admin = world.admin;
    const pages = (await admin.agent.get('/api/pages')).body.data as { id: string; fbPageId: string }[];
    otherPageId = pages.find((page) => page.fbPageId === OTHER_PAGE)?.id ?? '';
    // Page 2002 is Alice's alone: her marketer and her agent do not see it or its rules.
    await admin.agent.patch(`/api/pages/${otherPageId}`).set(admin.csrf).send({ scope: 'private' });
    carol = await inviteAgent(world);
    mia = await inviteMarketer(world);
  });
  afterAll(() => world.stop());

  const send = (
    user: LoggedInUser,
    method: 'post' | 'patch' | 'put' | 'delete',
    path: string,
    body?: object,
  ) => user.agent[method](path).set(user.csrf).send(body);
  const newBlock = (page: string, text: string) =>
    send(admin, 'post', '/api/bot/blocks', { page, name: text, content: { text } });

  it('an admin creates, reads, changes and deletes a block and the rule that answers with it', async () => {
    const block = await newBlock(world.pageId, 'We are open 9–18.');
    expect(block.status).toBe(201);
    const rule = await send(admin, 'post', '/api/bot/rules', {
      page: world.pageId,
      kind: 'keyword',
      keywordMode: 'any_of',
      keywords: ['hours', 'open'],
      block: block.body._id,
    });
    expect(rule.status).toBe(201);
    expect(rule.body).toMatchObject({ kind: 'keyword', keywordMode: 'any_of', priority: 100, active: true });
    const ruleId = rule.body._id as string;

    const changed = await send(admin, 'patch', `/api/bot/rules/${ruleId}`, {
      priority: 5,
      keywords: ['hours'],
    });
    expect(changed.body).toMatchObject({ priority: 5, keywords: ['hours'] });
    expect((await admin.agent.get(`/api/bot/rules/${ruleId}`)).body.priority).toBe(5);
    const list = await admin.agent.get('/api/bot/rules');
    expect(list.body.data.map((r: { _id: string }) => r._id)).toContain(ruleId);

    expect((await send(admin, 'delete', `/api/bot/blocks/${block.body._id}`)).status).toBe(400);
    expect((await send(admin, 'delete', `/api/bot/rules/${ruleId}`)).status).toBe(204);
    expect((await send(admin, 'delete', `/api/bot/blocks/${block.body._id}`)).status).toBe(204);
    expect((await admin.agent.get(`/api/bot/rules/${ruleId}`)).status).toBe(404);
  });

  it.each([
    ['the keyword kind but no keywords', { kind: 'keyword', keywords: [] }],
    ['an unknown field', { kind: 'fallback', colour: 'red' }],
    ['an unknown kind', { kind: 'sometimes' }],
  ])('a rule with %s is refused with a 400 problem', async (_name, fields) => {
    const block = await newBlock(world.pageId, `Block ${Math.random()}`);
    const res = await send(admin, 'post', '/api/bot/rules', {
      page: world.pageId,
      block: block.body._id,
      ...fields,
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('a rule cannot answer with a block of another Page', async () => {
    const block = await newBlock(otherPageId, 'Hats from 19 €.');
    const res = await send(admin, 'post', '/api/bot/rules', {
      page: world.pageId,
      kind: 'fallback',
      block: block.body._id,
    });
    expect(res.status).toBe(400);
  });

  it('the rules of a Page take the order given as priorities 10, 20, …; a list that is not exactly its rules is refused', async () => {
    const rulesOf = async (pageId: string) =>
      ((await admin.agent.get('/api/bot/rules')).body.data as { _id: string; page: string }[])
        .filter((rule) => rule.page === pageId)
        .map((rule) => rule._id);
    const block = await newBlock(otherPageId, 'Hats for every head.');
    for (const keyword of ['hat', 'cap', 'beanie']) {
      await send(admin, 'post', '/api/bot/rules', {
        page: otherPageId,
        kind: 'keyword',
        keywords: [keyword],
        block: block.body._id,
      });
    }
    const reversed = (await rulesOf(otherPageId)).reverse();
    const res = await send(admin, 'put', '/api/bot/rules/order', { page: otherPageId, ruleIds: reversed });
    expect(res.status).toBe(200);
    expect(res.body.data.map((rule: { _id: string }) => rule._id)).toEqual(reversed);
    expect(res.body.data.map((rule: { priority: number }) => rule.priority)).toEqual(
      reversed.map((_id, index) => (index + 1) * 10),
    );
    expect(await rulesOf(otherPageId)).toEqual(reversed);

    const missingOne = await send(admin, 'put', '/api/bot/rules/order', {
      page: otherPageId,
      ruleIds: reversed.slice(1),
    });
    expect(missingOne.status).toBe(409);
    const sharedBlock = await newBlock(world.pageId, 'Shoes for every foot.');
    const sharedRule = await send(admin, 'post', '/api/bot/rules', {
      page: world.pageId,
      kind: 'keyword',
      keywords: ['shoe'],
      block: sharedBlock.body._id,
    });
    const foreign = await send(admin, 'put', '/api/bot/rules/order', {
      page: otherPageId,
      ruleIds: [...reversed.slice(1), sharedRule.body._id],
    });
    expect(foreign.status).toBe(409);
    const twice = await send(admin, 'put', '/api/bot/rules/order', {
      page: otherPageId,
      ruleIds: [...reversed, reversed[0]],
    });
    expect(twice.status).toBe(400);
    const unknownField = await send(admin, 'put', '/api/bot/rules/order', {
      page: otherPageId,
      ruleIds: reversed,
      direction: 'up',
    });
    expect(unknownField.status).toBe(400);
    expect(await rulesOf(otherPageId)).toEqual(reversed);
  });

  it('a marketer runs the bot of the Pages they see, and nothing of a Page private to someone else', async () => {
    const hidden = await newBlock(otherPageId, 'Hats from 19 €.');
    const block = await send(mia, 'post', '/api/bot/blocks', {
      page: world.pageId,
      name: 'Shoes',
      content: { text: 'Shoes from 49 €.' },
    });
    expect(block.status).toBe(201);
    const rule = await send(mia, 'post', '/api/bot/rules', {
      page: world.pageId,
      kind: 'fallback',
      block: block.body._id,
    });
    expect(rule.status).toBe(201);
    expect((await send(mia, 'patch', `/api/bot/rules/${rule.body._id}`, { priority: 7 })).status).toBe(200);

    const rules = await mia.agent.get('/api/bot/rules');
    expect(rules.status).toBe(200);
    expect([...new Set(rules.body.data.map((r: { page: string }) => r.page))]).toEqual([world.pageId]);
    expect((await mia.agent.get(`/api/bot/blocks/${hidden.body._id}`)).status).toBe(404);
    const onHidden = await send(mia, 'post', '/api/bot/rules', {
      page: otherPageId,
      kind: 'fallback',
      block: hidden.body._id,
    });
    expect(onHidden.status).toBe(404);
    const reorderHidden = await send(mia, 'put', '/api/bot/rules/order', { page: otherPageId, ruleIds: [] });
    expect(reorderHidden.status).toBe(404);
  });

  it('an agent gets 403 from every bot route, reading included', async () => {
    const block = await newBlock(world.pageId, 'Socks from 9 €.');
    expect((await carol.agent.get('/api/bot/rules')).status).toBe(403);
    expect((await carol.agent.get('/api/bot/blocks')).status).toBe(403);
    expect((await carol.agent.get(`/api/bot/blocks/${block.body._id}`)).status).toBe(403);
    const written = await send(carol, 'post', '/api/bot/rules', {
      page: world.pageId,
      kind: 'fallback',
      block: block.body._id,
    });
    expect(written.status).toBe(403);
    expect(written.headers['content-type']).toMatch(/^application\/problem\+json/);
    const profile = await send(carol, 'put', `/api/bot/profile/${world.pageId}`, { greeting: 'Hi' });
    expect(profile.status).toBe(403);
    expect((await carol.agent.get(`/api/bot/profile/${world.pageId}`)).status).toBe(403);
  });

  it('the Messenger Profile call sets Get Started, greeting, menu and ice breakers on the Page', async () => {
    const res = await send(admin, 'put', `/api/bot/profile/${world.pageId}`, {
      getStartedPayload: 'GET_STARTED',
      greeting: 'Hi {{user_first_name}}, welcome to Alice Shoes!',
      persistentMenu: [{ type: 'postback', title: 'Opening hours', payload: 'SHOW_HOURS' }],
      iceBreakers: [{ question: 'What are your prices?', payload: 'PRICES' }],
    });
    expect(res.status).toBe(200);
    const { messengerProfile } = await world.sim.control.page(PAGE);
    expect(messengerProfile).toMatchObject({
      get_started: { payload: 'GET_STARTED' },
      greeting: [{ locale: 'default', text: 'Hi {{user_first_name}}, welcome to Alice Shoes!' }],
      persistent_menu: [
        expect.objectContaining({ call_to_actions: [expect.objectContaining({ payload: 'SHOW_HOURS' })] }),
      ],
      ice_breakers: [
        expect.objectContaining({ call_to_actions: [expect.objectContaining({ payload: 'PRICES' })] }),
      ],
    });
  });

  it('the eleventh Messenger Profile call within 10 minutes is refused locally with 429, before Meta has to', async () => {
    const update = (greeting: string) => send(admin, 'put', `/api/bot/profile/${otherPageId}`, { greeting });
    for (let call = 1; call <= 10; call += 1) expect((await update(`Hello ${call}`)).status).toBe(200);
    const eleventh = await update('Hello 11');
    expect(eleventh.status).toBe(429);
    expect(eleventh.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await world.sim.control.page(OTHER_PAGE)).messengerProfile).toMatchObject({
      greeting: [{ locale: 'default', text: 'Hello 10' }],
    });
    expect(await world.sim.control.violations()).toEqual([]);
  });
});
