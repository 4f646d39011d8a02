import { messagesTo, newPerson, writes } from '../../bots/bot-fixtures';
import { advanceBothClocks, startBotWorld, type BotWorld } from '../../bots/bots-harness';
import { useTestDatabase } from '../../support/database';

const HOUR = 60 * 60 * 1000;

/**
 * Past the 24-hour window only what a human typed may go, with the HUMAN_AGENT tag (Meta policy): an agent's plain
 * text does; the same agent's quick replies or image are the product's, not their own words, and are refused.
 */
describe('after 24 hours only an agent’s typed text goes, with HUMAN_AGENT', () => {
  useTestDatabase();
  let world: BotWorld;
  let person: string;
  let url = '';

  beforeAll(async () => {
    world = await startBotWorld();
    person = await newPerson(world, 'Hugo');
    await writes(world, person, 'is anyone there?');
    const inbox = await world.admin.agent.get('/api/conversations');
    url = `/api/conversations/${(inbox.body.data as { id: string }[])[0]?.id ?? ''}/messages`;
    await advanceBothClocks(world, 30 * HOUR);
  }, 30_000);
  afterAll(() => world.stop());

  const reply = (body: object) => world.admin.agent.post(url).set(world.admin.csrf).send(body);

  it.each([
    [
      'quick replies',
      { type: 'quick_replies', text: 'Which one?', quickReplies: [{ title: 'Red', payload: 'RED' }] },
    ],
    ['an image', { type: 'image', url: 'https://example.com/shoe.jpg' }],
  ])('%s sent by an agent 30 hours later: refused, and nothing reaches Meta', async (_name, body) => {
    const before = (await messagesTo(world, person)).length;
    const refused = await reply(body);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('human_agent_needs_human_text');
    expect(await messagesTo(world, person)).toHaveLength(before);
  });

  it('an agent’s plain text 30 hours later goes with HUMAN_AGENT', async () => {
    const sent = await reply({ type: 'text', text: 'Sorry for the wait, yes!' });
    expect(sent.status).toBe(201);
    expect((await messagesTo(world, person)).at(-1)).toMatchObject({
      messagingType: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
      message: expect.objectContaining({ text: 'Sorry for the wait, yes!' }),
    });
  });
});
