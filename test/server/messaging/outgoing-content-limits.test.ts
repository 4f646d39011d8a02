import { messagesTo, newPerson, writes } from '../../bots/bot-fixtures';
import { startBotWorld, type BotWorld } from '../../bots/bots-harness';
import { useTestDatabase } from '../../support/database';

const emoji = (count: number) => '👟'.repeat(count); // one character as Meta counts, two UTF-16 units

type Answer = { status: number; body: { issues?: { path: string; message: string }[] } };

/** What a message says, composed the way each path takes it. */
interface Composed {
  text: string;
  quickReplyTitle?: string;
  buttonTitle?: string;
}

/**
 * The four places content to be sent is written, each through its REST route, each with the field the content's
 * text sits at. The same words must get the same answer everywhere: Meta's limits do not depend on who composed them.
 */
function pathsOf(world: BotWorld, conversationId: () => string) {
  const post = (url: string, body: object) =>
    world.admin.agent.post(url).set(world.admin.csrf).send(body) as unknown as Promise<Answer>;
  const quickReplies = (c: Composed) =>
    c.quickReplyTitle ? { quickReplies: [{ title: c.quickReplyTitle, payload: 'MORE' }] } : {};
  const buttons = (c: Composed) =>
    c.buttonTitle ? { buttons: [{ type: 'postback', title: c.buttonTitle, payload: 'SHOP' }] } : {};
  const automated = (c: Composed) => ({ text: c.text, ...buttons(c), ...quickReplies(c) });
  return {
    'a live chat reply': {
      field: '',
      send: (c: Composed) =>
        post(`/api/conversations/${conversationId()}/messages`, {
          type: c.quickReplyTitle ? 'quick_replies' : 'text',
          text: c.text,
          ...quickReplies(c),
        }),
    },
    'a bot block': {
      field: 'content.',
      send: (c: Composed) =>
        post('/api/bot/blocks', { page: world.pageId, name: 'Limits', content: automated(c) }),
    },
    'a capture reply': {
      field: 'privateReply.',
      send: (c: Composed) =>
        post('/api/captures', {
          page: world.pageId,
          name: 'Limits',
          target: { kind: 'any_post' },
          privateReply: automated(c),
        }),
    },
    'a broadcast': {
      field: 'content.',
      send: (c: Composed) =>
        post('/api/broadcasts', {
          name: 'Limits',
          pages: [world.pageId],
          content: {
            type: c.buttonTitle ? 'buttons' : 'text',
            text: c.text,
            ...buttons(c),
            ...quickReplies(c),
          },
          purpose: 'promotional',
        }),
    },
  };
}
type PathName = keyof ReturnType<typeof pathsOf>;
const allPaths: PathName[] = ['a live chat reply', 'a bot block', 'a capture reply', 'a broadcast'];
const withButtons: PathName[] = ['a bot block', 'a capture reply', 'a broadcast'];

/** Live chat answers 201 (sent) or 202 (refused by policy), the others 201 (created): all mean "accepted". */
const outcomeOf = (answer: Answer) =>
  answer.status < 300
    ? 'accepted'
    : {
        status: answer.status,
        messages: Array.isArray(answer.body.issues)
          ? answer.body.issues.map((issue) => issue.message)
          : answer.body.issues,
      };

describe('outgoing content is held to the Send API limits as Meta counts them, the same on every path', () => {
  useTestDatabase();
  let world: BotWorld;
  let person: string;
  let conversationId = '';
  let paths: ReturnType<typeof pathsOf>;

  beforeAll(async () => {
    world = await startBotWorld();
    paths = pathsOf(world, () => conversationId);
    person = await newPerson(world, 'Lima');
    await writes(world, person, 'hello');
    const inbox = await world.admin.agent.get('/api/conversations');
    conversationId = (inbox.body.data as { id: string }[])[0]?.id ?? '';
  }, 30_000);
  afterAll(() => world.stop());

  it.each(allPaths)(
    '%s of 1,999 emoji is accepted and one of 2,000 refused, naming the field',
    async (name) => {
      const path = paths[name];
      expect(outcomeOf(await path.send({ text: emoji(1999) }))).toBe('accepted');
      const refused = await path.send({ text: emoji(2000) });
      expect(refused.status).toBe(400);
      expect(refused.body.issues).toEqual([
        {
          path: `${path.field}text`,
          message: 'The text holds at most 1999 characters (Facebook refuses longer ones).',
        },
      ]);
    },
  );

  it.each(allPaths)('%s with a quick reply titled 20 emoji is accepted, 21 refused', async (name) => {
    const path = paths[name];
    expect(outcomeOf(await path.send({ text: 'More?', quickReplyTitle: emoji(20) }))).toBe('accepted');
    const refused = await path.send({ text: 'More?', quickReplyTitle: emoji(21) });
    expect(refused.status).toBe(400);
    expect(refused.body.issues).toEqual([
      {
        path: `${path.field}quickReplies.0.title`,
        message: 'A quick reply title holds at most 20 characters (Facebook refuses longer ones).',
      },
    ]);
  });

  it.each(withButtons)('%s with buttons holds 640 emoji of text, not 641', async (name) => {
    const path = paths[name];
    expect(outcomeOf(await path.send({ text: emoji(640), buttonTitle: emoji(20) }))).toBe('accepted');
    const refused = await path.send({ text: emoji(641), buttonTitle: 'Shop' });
    expect(refused.status).toBe(400);
    expect(refused.body.issues).toEqual([
      {
        path: `${path.field}text`,
        message:
          'The text of a message with buttons holds at most 640 characters (Facebook refuses longer ones).',
      },
    ]);
  });

  it('every path gives the same answer for the same content', async () => {
    const contents: Composed[] = [
      { text: emoji(1999) },
      { text: emoji(2000) },
      { text: 'x'.repeat(2000) },
      { text: '   ' },
      { text: 'Pick one', quickReplyTitle: emoji(20) },
      { text: 'Pick one', quickReplyTitle: 'x'.repeat(21) },
    ];
    for (const content of contents) {
      const answers: ReturnType<typeof outcomeOf>[] = [];
      for (const name of allPaths) answers.push(outcomeOf(await paths[name].send(content)));
      expect(answers).toEqual(allPaths.map(() => answers[0]));
    }
  });

  it('a live chat reply of 1,999 emoji reaches Meta as sent, and Meta finds nothing to refuse', async () => {
    const reply = await paths['a live chat reply'].send({ text: emoji(1999) });
    expect(reply.status).toBe(201);
    const sent = (await messagesTo(world, person)).filter((message) => message.message?.text === emoji(1999));
    expect(sent.length).toBeGreaterThan(0);
    expect(await world.sim.control.violations()).toEqual([]);
  });
});
