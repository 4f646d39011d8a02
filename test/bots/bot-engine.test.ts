import { BotReplyModel } from '../../models/bot-reply';
import { useTestDatabase } from '../support/database';
import { TEXT, createExampleBot, messagesTo, newPerson, textsOf, writes } from './bot-fixtures';
import { PAGE, advanceBothClocks, settle, startBotWorld, type BotWorld } from './bots-harness';

const HOUR = 60 * 60 * 1000;

describe('the bot answers through the simulator', () => {
  useTestDatabase();
  let world: BotWorld;

  beforeAll(async () => {
    world = await startBotWorld();
    await createExampleBot(world);
  });
  afterAll(() => world.stop());

  it('Get Started gets exactly one welcome, sent as a RESPONSE and never with a tag', async () => {
    const person = await newPerson(world, 'Gina');
    await world.sim.control.getStarted(person, PAGE);
    await settle(world);
    const sent = await messagesTo(world, person);
    expect(textsOf(sent)).toEqual([TEXT.welcome]);
    expect(sent[0]).toMatchObject({ messagingType: 'RESPONSE', tag: null });
  });

  it("the welcome's quick reply leads to the block its payload names", async () => {
    const person = await newPerson(world, 'Quinn');
    await world.sim.control.getStarted(person, PAGE);
    await settle(world);
    const [welcome] = await messagesTo(world, person);
    const quickReplies = welcome?.message?.quick_replies as { title: string; payload: string }[];
    expect(quickReplies).toEqual([
      expect.objectContaining({ title: 'Opening hours', payload: 'SHOW_HOURS' }),
    ]);
    await world.sim.control.sendQuickReply(person, PAGE, 'Opening hours', 'SHOW_HOURS');
    await settle(world);
    expect(textsOf(await messagesTo(world, person))).toEqual([TEXT.welcome, TEXT.hours]);
  });

  it.each([
    ['exact: the whole message is the keyword', 'Hi', TEXT.hello],
    ['contains: the phrase inside a longer message', 'What are your OPENING HOURS today?', TEXT.hours],
    ['any of: one of several words', 'how much does it cost', TEXT.price],
  ])('a keyword rule answers with its block (%s)', async (_mode, text, expected) => {
    const person = await newPerson(world, 'Kim');
    await writes(world, person, text);
    const sent = await messagesTo(world, person);
    expect(textsOf(sent)).toEqual([expected]);
    expect(sent[0]?.messagingType).toBe('RESPONSE');
  });

  it('an exact keyword inside a longer message does not match it', async () => {
    const person = await newPerson(world, 'Hal');
    await writes(world, person, 'hi there, what is the price?');
    expect(textsOf(await messagesTo(world, person))).toEqual([TEXT.price]);
  });

  it('when several rules match, the first by priority answers and it is the only reply', async () => {
    const person = await newPerson(world, 'Max');
    await writes(world, person, 'price and opening hours please');
    expect(textsOf(await messagesTo(world, person))).toEqual([TEXT.hours]);
  });

  it('the same webhook delivered three times still gets one reply', async () => {
    const person = await newPerson(world, 'Rita');
    await world.sim.control.setWebhook({ duplicateDeliveries: 2 });
    try {
      await writes(world, person, 'price?');
    } finally {
      await world.sim.control.setWebhook({ duplicateDeliveries: 0 });
    }
    expect(textsOf(await messagesTo(world, person))).toEqual([TEXT.price]);
    expect(await world.sim.control.violations()).toEqual([]);
  });

  it('an unknown message gets the fallback once in 24 hours, and again once a day has passed', async () => {
    const person = await newPerson(world, 'Una');
    await writes(world, person, 'blorp');
    await writes(world, person, 'zzz?');
    expect(textsOf(await messagesTo(world, person))).toEqual([TEXT.fallback]);

    await advanceBothClocks(world, 25 * HOUR);
    await writes(world, person, 'still there?');
    expect(textsOf(await messagesTo(world, person))).toEqual([TEXT.fallback, TEXT.fallback]);
    expect(await world.sim.control.violations()).toEqual([]);
  });

  it('a message the bot reads 30 hours late gets no answer at all, never a tagged one', async () => {
    const person = await newPerson(world, 'Lou');
    // Only Pagewire's clock moves: the message Meta sends now is 30 hours old by the time the bot reads it.
    world.app.clock.advance(30 * HOUR);
    try {
      await writes(world, person, 'price?');
    } finally {
      await world.sim.control.advanceTime(30 * HOUR);
    }
    expect(await messagesTo(world, person)).toEqual([]);
    const reply = await BotReplyModel.findOne({ kind: 'rule', status: { $ne: 'sent' } })
      .sort({ at: -1 })
      .lean();
    expect(reply).toMatchObject({ status: 'refused' });
    const sent = await world.sim.control.sentMessages({ pageId: PAGE });
    expect(sent.filter((message) => message.tag !== null || message.messagingType === 'MESSAGE_TAG')).toEqual(
      [],
    );
    expect(await world.sim.control.violations()).toEqual([]);
  });
});
