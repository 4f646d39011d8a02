import { SubscriberModel } from '../../../models/subscriber';
import { eventually, nextEvent, useLiveChatWorld } from './livechat-world';

describe('Meta policy enforcement on a Page, end to end through the simulator', () => {
  const world = useLiveChatWorld();

  const sim = () => world.simulator.control;
  const shoesPage = async () => {
    const pages = (await world.alice.agent.get('/api/pages')).body.data as {
      id: string;
      automatedSendsPaused: boolean;
    }[];
    return pages.find((page) => page.id === world.shoesPageId);
  };
  const subscriberOf = async (personId: string) => {
    const psid = await sim().psidFor(personId, '2001');
    return eventually(() => SubscriberModel.findOne({ psid }).lean());
  };

  it('a block pauses the Page’s automated sends at once and tells the admins, and unsubscribes nobody', async () => {
    await sim().sendText('p1', '2001', 'hello before the block');
    await subscriberOf('p1');
    const socket = await world.app.socketFor(world.alice);
    const told = nextEvent(socket, 'page:health', (event) => event.automatedSendsPaused);
    await sim().policyEnforcement('2001', 'block', 'Too many people reported this Page');

    const event = await told;
    expect(event).toMatchObject({
      pageId: world.shoesPageId,
      fbPageId: '2001',
      status: 'ok',
      pauseReasons: ['blocked_by_meta'],
    });
    expect(event.reason).toMatch(/blocked.*Too many people reported this Page/);
    expect((await shoesPage())?.automatedSendsPaused).toBe(true);
    expect((await subscriberOf('p1')).status).toBe('subscribed');

    // An automated send is now refused: STOP still unsubscribes, but its acknowledgement is not sent.
    await sim().sendText('p2', '2001', 'stop');
    const stopped = await eventually(async () => {
      const found = await subscriberOf('p2');
      return found.status === 'unsubscribed' ? found : null;
    });
    await world.app.server().webhooks.processor.idle();
    expect(await sim().sentMessages({ pageId: '2001', psid: stopped.psid })).toEqual([]);
  });

  it('an unblock resumes automated sends and tells the admins; a warning only tells them', async () => {
    const socket = await world.app.socketFor(world.alice);
    const resumed = nextEvent(socket, 'page:health', (event) => !event.automatedSendsPaused);
    await sim().policyEnforcement('2001', 'unblock');
    expect(await resumed).toMatchObject({ reason: expect.stringMatching(/lifted/), pauseReasons: [] });
    expect((await shoesPage())?.automatedSendsPaused).toBe(false);

    const warned = nextEvent(socket, 'page:health', (event) => /warned/.test(event.reason ?? ''));
    await sim().policyEnforcement('2001', 'warning', 'Check the messaging policy');
    expect(await warned).toMatchObject({ automatedSendsPaused: false, pageId: world.shoesPageId });
    expect((await shoesPage())?.automatedSendsPaused).toBe(false);
  });
});
