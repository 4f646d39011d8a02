import mongoose from 'mongoose';
import { nextEvent, useLiveChatWorld } from '../server/livechat/livechat-world';
import { isWebhookSweepRead } from '../support/webhook-sweep';

/** Not the message's: sessions (the agent's socket) and Agenda's polling. */
const background = new Set(['sessions', 'agendaJobs']);
/** Reads kept in the process for two seconds (server/platform/process-cache.ts): again only once that has passed. */
const keptBriefly = ['find pages', 'findOne pages', 'find botrules', 'findOne capturereplies'];

describe('the database commands a message costs', () => {
  const world = useLiveChatWorld();

  /** The operations (method and collection, as mongoose's debug hook names them) the messages cost, to settled. */
  async function commandsFor(messages: { personId: string; text: string }[]): Promise<string[]> {
    const socket = await world.app.socketFor(world.alice);
    const commands: string[] = [];
    mongoose.set('debug', (collection: string, method: string, query: unknown) => {
      if (!background.has(collection) && !isWebhookSweepRead(collection, method, query))
        commands.push(`${method} ${collection}`);
    });
    try {
      await Promise.all(
        messages.map(async ({ personId, text }) => {
          const received = nextEvent(socket, 'message:new', (event) => event.message.text === text);
          await world.simulator.control.sendText(personId, '2001', text);
          await received;
        }),
      );
      await world.simulator.control.waitForWebhookIdle();
      await world.app.server().webhooks.processor.idle();
    } finally {
      mongoose.set('debug', false);
      socket.disconnect();
    }
    return commands;
  }

  const count = (commands: string[], command: string) => commands.filter((c) => c === command).length;

  beforeAll(async () => {
    await commandsFor(['p1', 'p2', 'p3'].map((personId) => ({ personId, text: `hello from ${personId}` })));
  });

  it('from a known person: the event, the subscriber, the message, the conversation, the event settled', async () => {
    const commands = await commandsFor([{ personId: 'p2', text: 'one more' }]);
    expect(commands.filter((command) => !keptBriefly.includes(command)).sort()).toEqual(
      [
        'insertMany webhookevents', // stored before the 200
        'find webhookevents', // beside it, read after the 200: is an earlier event of this conversation unfinished elsewhere?
        'findOneAndUpdate subscribers', // the interaction (window, last seen)
        'findOneAndUpdate messages', // stored once per mid
        'findOneAndUpdate conversations', // last message, unread, status
        'updateMany webhookevents', // processed, together with the others handled since the last such write
      ].sort(),
    );
    for (const read of keptBriefly) expect(count(commands, read)).toBeLessThanOrEqual(1);
  });

  it('from a new person: the subscriber beside the erasure check, a conversation inserted without a search, the profile', async () => {
    const commands = await commandsFor([{ personId: 'p4', text: 'first words' }]);
    expect(commands.filter((command) => !keptBriefly.includes(command)).sort()).toEqual(
      [
        'insertMany webhookevents',
        'find webhookevents',
        'findOneAndUpdate subscribers', // created by the interaction
        'findOne suppressions', // erased before? Sent beside the upsert, as this process has not seen them
        'updateOne compliancetallies', // the opt-in counted
        'insertOne auditlogs', // and recorded
        'insertOne conversations', // a subscriber created just now has none: no search first
        'findOneAndUpdate messages',
        'findOneAndUpdate conversations',
        'findOneAndUpdate subscribers', // the profile (Meta's call, after the agent has the message, with the Page's kept token)
        'findOneAndUpdate conversations', // the name it brought
        'updateMany webhookevents',
      ].sort(),
    );
  });

  it("reads the Page, its rules and the captures' follow-ups once for a burst, not once per message", async () => {
    const burst = Array.from({ length: 9 }, (_, n) => ({ personId: `p${(n % 3) + 1}`, text: `burst ${n}` }));
    const commands = await commandsFor(burst);
    expect(count(commands, 'findOneAndUpdate messages')).toBe(9);
    // A burst that straddles the two seconds reads again once.
    for (const read of keptBriefly) expect(count(commands, read)).toBeLessThanOrEqual(2);
  });
});
