import { ConversationModel } from '../../models/conversation';
import { useTestDatabase } from '../support/database';
import type { LoggedInUser, PagewireSocket } from '../support/app-harness';
import { TEXT, createExampleBot, messagesTo, newPerson, textsOf, writes } from './bot-fixtures';
import {
  PAGE,
  advanceBothClocks,
  eventually,
  inviteAgent,
  startBotWorld,
  type BotWorld,
} from './bots-harness';

const MINUTE = 60 * 1000;

/** The first event of that name, or a rejection after five seconds. */
function nextEvent(socket: PagewireSocket, name: 'conversation:needs-human' | 'conversation:updated') {
  return new Promise<{ pageId: string; conversation: { id: string; assigneeId: string | null } }>(
    (resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${name} within 5 s`)), 5_000);
      socket.once(name, (event) => {
        clearTimeout(timer);
        resolve(event as never);
      });
    },
  );
}

describe('the bot steps aside for humans', () => {
  useTestDatabase();
  let world: BotWorld;
  let carol: LoggedInUser;

  beforeAll(async () => {
    world = await startBotWorld({ BOT_HUMAN_IDLE_MINUTES: '10' });
    await createExampleBot(world);
    carol = await inviteAgent(world);
  });
  afterAll(() => world.stop());

  const conversationOf = async (person: string) => {
    const psid = await world.sim.control.psidFor(person, PAGE);
    const conversation = await eventually(() => ConversationModel.findOne({ psid }).lean());
    if (!conversation) throw new Error(`no conversation for ${person}`);
    return conversation;
  };
  const post = (user: LoggedInUser, path: string, body: object = {}) =>
    user.agent.post(path).set(user.csrf).send(body);

  it('after an agent claims the conversation the bot is silent, and it resumes after the configured idle time', async () => {
    const person = await newPerson(world, 'Cleo');
    await writes(world, person, 'hi');
    const conversation = await conversationOf(person);
    expect((await post(carol, `/api/conversations/${String(conversation._id)}/claim`)).status).toBe(200);

    await writes(world, person, 'price?');
    expect(textsOf(await messagesTo(world, person))).toEqual([TEXT.hello]);

    // BOT_HUMAN_IDLE_MINUTES is 10 here: still the human's at 9 minutes, the bot's again after 10.
    await advanceBothClocks(world, 9 * MINUTE);
    await writes(world, person, 'price?');
    expect(textsOf(await messagesTo(world, person))).toEqual([TEXT.hello]);
    await advanceBothClocks(world, 2 * MINUTE);
    await writes(world, person, 'price?');
    expect(textsOf(await messagesTo(world, person))).toEqual([TEXT.hello, TEXT.price]);
  });

  it('after an agent replies the bot is silent', async () => {
    const person = await newPerson(world, 'Ravi');
    await writes(world, person, 'hi');
    const conversation = await conversationOf(person);
    const reply = await post(carol, `/api/conversations/${String(conversation._id)}/messages`, {
      type: 'text',
      text: 'Carol here, how can I help?',
    });
    expect(reply.status).toBe(201);
    await writes(world, person, 'price?');
    expect(textsOf(await messagesTo(world, person))).toEqual([TEXT.hello, 'Carol here, how can I help?']);
  });

  it('when the agent resolves the conversation the bot answers again at once', async () => {
    const person = await newPerson(world, 'Sol');
    await writes(world, person, 'hi');
    const id = String((await conversationOf(person))._id);
    expect((await post(carol, `/api/conversations/${id}/claim`)).status).toBe(200);
    expect((await post(carol, `/api/conversations/${id}/resolve`)).status).toBe(200);
    await writes(world, person, 'price?');
    expect(textsOf(await messagesTo(world, person))).toEqual([TEXT.hello, TEXT.price]);
  });

  it('"talk to a human" unassigns the conversation and tells the agents on their sockets', async () => {
    const person = await newPerson(world, 'Tara');
    await writes(world, person, 'hi');
    const id = String((await conversationOf(person))._id);
    const carolId = ((await carol.agent.get('/api/me')).body as { user: { id: string } }).user.id;
    expect((await post(world.admin, `/api/conversations/${id}/assign`, { assigneeId: carolId })).status).toBe(
      200,
    );
    const socket = await world.app.socketFor(carol);
    const needsHuman = nextEvent(socket, 'conversation:needs-human');
    const updated = nextEvent(socket, 'conversation:updated');
    await writes(world, person, 'I want a HUMAN please');
    expect((await needsHuman).conversation).toMatchObject({ id, assigneeId: null });
    expect((await updated).pageId).toBe(world.pageId);
    expect(await ConversationModel.findById(id).lean()).toMatchObject({ assignee: null, status: 'open' });
    expect(textsOf(await messagesTo(world, person))).toEqual([TEXT.hello, TEXT.human]);

    await writes(world, person, 'price?');
    expect(textsOf(await messagesTo(world, person))).toEqual([TEXT.hello, TEXT.human]);
    expect(await world.sim.control.violations()).toEqual([]);
  });
});
