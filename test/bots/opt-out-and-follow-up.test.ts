import { CaptureOutcomeModel } from '../../models/capture-outcome';
import { CaptureReplyModel } from '../../models/capture-reply';
import { SubscriberModel } from '../../models/subscriber';
import { useTestDatabase } from '../support/database';
import { createExampleBot, messagesTo, newPerson, textsOf, writes } from './bot-fixtures';
import { PAGE, eventually, settle, startBotWorld, type BotWorld } from './bots-harness';

const PRIVATE_REPLY = 'Thanks! Want our price list?';
const FOLLOW_UP = 'Here it is: https://shop.example.com/prices';

describe('after a comment: the follow-up, and STOP silencing every automation', () => {
  useTestDatabase();
  let world: BotWorld;
  let captureId: string;

  beforeAll(async () => {
    world = await startBotWorld();
    await createExampleBot(world);
    const res = await world.admin.agent
      .post('/api/captures')
      .set(world.admin.csrf)
      .send({
        page: world.pageId,
        name: 'Price list',
        target: { kind: 'any_post' },
        includeKeywords: ['price'],
        privateReply: { text: PRIVATE_REPLY },
        followUp: { text: FOLLOW_UP },
      });
    if (res.status !== 201) throw new Error(`capture not created: ${res.status} ${res.text}`);
    captureId = res.body._id as string;
  });
  afterAll(() => world.stop());

  const comments = async (person: string, text: string) => {
    const { postId } = await world.sim.control.createPost(PAGE, `New arrivals ${Math.random()}`);
    const { commentId } = await world.sim.control.comment(person, postId, text);
    await settle(world);
    const replies = (await world.sim.control.sentMessages({ pageId: PAGE })).filter(
      (sent) => sent.recipient.comment_id === commentId,
    );
    return { commentId, replies };
  };

  it('the commenter who answers the private reply becomes a subscriber from the comment and gets the follow-up once', async () => {
    const person = await newPerson(world, 'Jade');
    const { replies } = await comments(person, 'price?');
    expect(replies).toHaveLength(1);

    await writes(world, person, 'yes please');
    const psid = await world.sim.control.psidFor(person, PAGE);
    const subscriber = await SubscriberModel.findOne({ psid }).lean();
    expect(subscriber).toMatchObject({ status: 'subscribed', optIn: { source: 'comment' } });
    expect(textsOf(await messagesTo(world, person)).filter((text) => text === FOLLOW_UP)).toHaveLength(1);

    await writes(world, person, 'yes please, again');
    expect(textsOf(await messagesTo(world, person)).filter((text) => text === FOLLOW_UP)).toHaveLength(1);
    expect(await world.sim.control.violations()).toEqual([]);
  });

  it('after STOP nothing automated goes out: no bot answer, no fallback, no follow-up, no private reply', async () => {
    const person = await newPerson(world, 'Stan');
    expect((await comments(person, 'price?')).replies).toHaveLength(1);
    await writes(world, person, 'STOP');
    const afterStop = (await world.sim.control.sentMessages({ pageId: PAGE })).length;

    await writes(world, person, 'yes please'); // would be the capture's follow-up
    await writes(world, person, 'price?'); // would be the price block
    await writes(world, person, 'blorp'); // would be the fallback
    await world.sim.control.getStarted(person, PAGE); // would be the welcome
    await settle(world);
    const { commentId } = await comments(person, 'what is the price?'); // would be a private reply

    expect((await world.sim.control.sentMessages({ pageId: PAGE })).length).toBe(afterStop);
    const outcome = await eventually(() =>
      CaptureOutcomeModel.findOne({ capture: captureId, commentId }).lean(),
    );
    expect(outcome?.reason).toBe('opted_out');
    expect(await world.sim.control.violations()).toEqual([]);
  });
  it.each(['stöp', 'STOP ', 'Stop!'])(
    '"%s" unsubscribes the person who writes it, and the bot does not answer it',
    async (text) => {
      const person = await newPerson(world, 'Sten');
      await writes(world, person, 'hello');
      const answered = (await messagesTo(world, person)).length;
      await writes(world, person, text);
      const psid = await world.sim.control.psidFor(person, PAGE);
      expect(await SubscriberModel.findOne({ fbPageId: PAGE, psid }).lean()).toMatchObject({
        status: 'unsubscribed',
        unsubscribed: { cause: 'opt_out' },
      });
      // Only the opt-out's confirmation follows: no fallback, no block.
      const after = textsOf(await messagesTo(world, person)).slice(answered);
      expect(after).toEqual([expect.stringMatching(/Send START to subscribe again/)]);
    },
  );

  it('a person who opted out before ever commenting: the private reply cannot be helped, but no public reply or follow-up, and the next comment is skipped', async () => {
    const { postId } = await world.sim.control.createPost(PAGE, `Catalogue ${Math.random()}`);
    const res = await world.admin.agent
      .post('/api/captures')
      .set(world.admin.csrf)
      .send({
        page: world.pageId,
        name: 'Catalogue',
        target: { kind: 'existing_post', postId },
        includeKeywords: ['catalogue'],
        privateReply: { text: 'Here comes the catalogue.' },
        publicReplies: ['Check your inbox!'],
        followUp: { text: FOLLOW_UP },
      });
    expect(res.status).toBe(201);
    const catalogueCapture = res.body._id as string;
    const person = await newPerson(world, 'Olga');
    await writes(world, person, 'hello');
    await writes(world, person, 'STOP');

    // A comment names an app-scoped id, not the PSID the opt-out is kept under: only the reply's answer links them.
    const first = await world.sim.control.comment(person, postId, 'catalogue please');
    await settle(world);
    const sent = await world.sim.control.sentMessages({ pageId: PAGE });
    expect(sent.filter((message) => message.recipient.comment_id === first.commentId)).toHaveLength(1);
    const page = await world.sim.control.page(PAGE);
    expect(page.comments.filter((comment) => comment.parentId === first.commentId)).toEqual([]);
    expect(await CaptureReplyModel.findOne({ commentId: first.commentId }).lean()).toMatchObject({
      status: 'sent',
      followUp: 'none',
      publicReply: { status: 'none' },
    });

    const second = await world.sim.control.comment(person, postId, 'the catalogue again?');
    await settle(world);
    const outcome = await eventually(() =>
      CaptureOutcomeModel.findOne({ capture: catalogueCapture, commentId: second.commentId }).lean(),
    );
    expect(outcome?.reason).toBe('opted_out');
    const afterSecond = await world.sim.control.sentMessages({ pageId: PAGE });
    expect(afterSecond.filter((message) => message.recipient.comment_id === second.commentId)).toEqual([]);
    expect(await world.sim.control.violations()).toEqual([]);
  });
});
