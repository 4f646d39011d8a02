import { SubscriberModel } from '../../models/subscriber';
import { useTestDatabase } from '../support/database';
import { TEXT, createExampleBot, messagesTo, newPerson, textsOf } from './bot-fixtures';
import { PAGE, settle, startBotWorld, type BotWorld } from './bots-harness';

const GET_STARTED = 'WELCOME_ABOARD';

describe('Get Started is the postback with the configured payload, for the bot and for live chat alike', () => {
  useTestDatabase();
  let world: BotWorld;

  beforeAll(async () => {
    world = await startBotWorld({ BOT_GET_STARTED_PAYLOAD: GET_STARTED });
    await createExampleBot(world);
    const profile = await world.admin.agent
      .put(`/api/bot/profile/${world.pageId}`)
      .set(world.admin.csrf)
      .send({ greeting: 'Welcome to Alice Shoes' });
    if (profile.status !== 200) throw new Error(`profile not set: ${profile.status} ${profile.text}`);
  });
  afterAll(() => world.stop());

  /** What the bot answered and what live chat recorded as the person's way in. */
  async function afterPostback(firstName: string, postback: { title: string; payload: string } | 'button') {
    const person = await newPerson(world, firstName);
    if (postback === 'button') await world.sim.control.getStarted(person, PAGE);
    else await world.sim.control.postback(person, PAGE, postback);
    await settle(world);
    const psid = await world.sim.control.psidFor(person, PAGE);
    const subscriber = await SubscriberModel.findOne({ fbPageId: PAGE, psid }).lean();
    return { answers: textsOf(await messagesTo(world, person)), optInSource: subscriber?.optIn.source };
  }

  it('the Get Started button gets the welcome, and the person came in through Get Started', async () => {
    expect(await afterPostback('Gabe', 'button')).toEqual({
      answers: [TEXT.welcome],
      optInSource: 'get_started',
    });
  });

  it('Meta shows the button in the person’s language: a "Commencer" title with the payload is Get Started too', async () => {
    expect(await afterPostback('Gaelle', { title: 'Commencer', payload: GET_STARTED })).toEqual({
      answers: [TEXT.welcome],
      optInSource: 'get_started',
    });
  });

  it('a button titled "Get Started" with another payload is an ordinary postback for both', async () => {
    expect(await afterPostback('Gus', { title: 'Get Started', payload: 'SHOW_HOURS' })).toEqual({
      answers: [TEXT.hours],
      optInSource: 'postback',
    });
  });
});
