import { useTestDatabase } from '../support/database';
import { TEXT, createExampleBot, messagesTo, newPerson, textsOf } from './bot-fixtures';
import { PAGE, settle, startBotWorld, type BotWorld } from './bots-harness';

interface Flow {
  blocks: { id: string; name: string }[];
  entries: { ruleId: string; kind: string; blockId: string | null }[];
  links: {
    from: string;
    via: string;
    title: string;
    payload: string;
    ruleId: string | null;
    to: string | null;
    handsOver: boolean;
  }[];
}

describe('the flows a Page’s blocks make, as the bot follows them', () => {
  useTestDatabase();
  let world: BotWorld;

  beforeAll(async () => {
    world = await startBotWorld();
    await createExampleBot(world);
  });
  afterAll(() => world.stop());

  const send = (method: 'post' | 'put', path: string, body: object) =>
    world.admin.agent[method](path).set(world.admin.csrf).send(body);
  const flow = async () => {
    const res = await world.admin.agent.get(`/api/bot/flow/${world.pageId}`);
    expect(res.status).toBe(200);
    return res.body as Flow;
  };
  const blockNamed = (graph: Flow, name: string) => graph.blocks.find((block) => block.name === name)?.id;

  it('a quick reply leads to the block of the rule the bot would pick for it, and a tap gets that block', async () => {
    const graph = await flow();
    const [link] = graph.links.filter((candidate) => candidate.from === blockNamed(graph, 'Welcome'));
    expect(link).toMatchObject({
      via: 'quick_reply',
      title: 'Opening hours',
      payload: 'SHOW_HOURS',
      to: blockNamed(graph, 'Opening hours'),
      handsOver: false,
    });
    expect(graph.entries.map((entry) => entry.kind)).toEqual([
      'get_started',
      'talk_to_human',
      'keyword',
      'keyword',
      'keyword',
      'payload',
      'fallback',
    ]);

    const person = await newPerson(world, 'Quinn');
    await world.sim.control.sendQuickReply(person, PAGE, 'Opening hours', 'SHOW_HOURS');
    await settle(world);
    expect(textsOf(await messagesTo(world, person))).toEqual([TEXT.hours]);
  });

  it('a button or quick reply no rule answers leads nowhere, and one that asks for a human hands over', async () => {
    const block = await send('post', '/api/bot/blocks', {
      page: world.pageId,
      name: 'Sizes',
      content: {
        text: 'Which size?',
        buttons: [{ type: 'postback', title: 'Not sure', payload: 'SIZE_HELP' }],
        quickReplies: [
          { title: 'Later', payload: 'LATER' },
          { title: 'A human please', payload: 'HUMAN' },
        ],
      },
    });
    expect(block.status).toBe(201);
    const graph = await flow();
    const links = graph.links.filter((link) => link.from === block.body._id);
    expect(links).toEqual([
      expect.objectContaining({
        via: 'quick_reply',
        title: 'Later',
        ruleId: null,
        to: null,
        handsOver: false,
      }),
      expect.objectContaining({ via: 'quick_reply', title: 'A human please', handsOver: true }),
      expect.objectContaining({ via: 'button', title: 'Not sure', ruleId: null, to: null }),
    ]);
  });

  it('ids that are not a visible Page answer 404', async () => {
    expect((await world.admin.agent.get('/api/bot/flow/nope')).status).toBe(404);
    expect((await world.admin.agent.get('/api/bot/flow/000000000000000000000000')).status).toBe(404);
  });
});
