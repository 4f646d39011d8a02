import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { broadcastSeed, loginAndConnect, type Workspace } from './broadcast-harness';

const emoji = (count: number) => '👟'.repeat(count); // one character as Meta counts, two UTF-16 units

interface Check {
  counts: { path: string; count: number; limit: number; unit: string }[];
  issues: { path: string; message: string }[];
}

/** The composer's live counters: the server's one content module counts and judges, the dashboard only shows it. */
describe('POST /api/broadcasts/content-check counts every limit as Meta does and names what it would refuse', () => {
  useTestDatabase();
  let sim: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let workspace: Workspace;

  beforeAll(async () => {
    sim = await startSimulator({ seed: broadcastSeed });
    app = await startTestApp({ simulator: sim });
    ({ alice, workspace } = await loginAndConnect(app));
  }, 30_000);
  afterAll(async () => {
    await app.stop();
    await sim.stop();
  });

  const check = async (content: unknown): Promise<Check> =>
    (await alice.agent.post('/api/broadcasts/content-check').set(alice.csrf).send({ content }).expect(200))
      .body;

  const carousel = (buttonTitle: string) => ({
    type: 'cards',
    cards: [
      {
        title: `Boots ${emoji(3)}`,
        subtitle: 'Waterproof',
        imageUrl: 'https://shop.example.com/boots.jpg',
        buttons: [
          { type: 'web_url', title: buttonTitle, url: 'https://shop.example.com/boots' },
          { type: 'postback', title: 'Sizes', payload: 'SIZES' },
        ],
      },
      { title: 'Sandals' },
    ],
    quickReplies: [{ title: emoji(20), payload: 'MORE' }],
  });

  it('a carousel: each title, subtitle, list and payload with its count and limit, emoji counted once', async () => {
    const { counts, issues } = await check(carousel('Shop now'));
    expect(issues).toEqual([]);
    const of = (path: string) => counts.find((count) => count.path === path);
    expect(of('cards')).toEqual({ path: 'cards', count: 2, limit: 10, unit: 'items' });
    expect(of('cards.0.title')).toEqual({ path: 'cards.0.title', count: 9, limit: 80, unit: 'characters' });
    expect(of('cards.0.subtitle')).toMatchObject({ count: 10, limit: 80 });
    expect(of('cards.0.buttons')).toMatchObject({ count: 2, limit: 3, unit: 'items' });
    expect(of('cards.0.buttons.0.title')).toMatchObject({ count: 8, limit: 20 });
    expect(of('cards.0.buttons.1.payload')).toMatchObject({ count: 5, limit: 1000 });
    expect(of('cards.1.title')).toMatchObject({ count: 7, limit: 80 });
    expect(of('quickReplies')).toMatchObject({ count: 1, limit: 13 });
    expect(of('quickReplies.0.title')).toMatchObject({ count: 20, limit: 20 });
  });

  it('a 21-character button title is refused with its field named, exactly as saving the broadcast refuses it', async () => {
    const tooLong = 'Shop the spring sale!';
    expect([...tooLong]).toHaveLength(21);
    const { counts, issues } = await check(carousel(tooLong));
    expect(counts.find((count) => count.path === 'cards.0.buttons.0.title')).toMatchObject({
      count: 21,
      limit: 20,
    });
    const message = 'A button title holds at most 20 characters (Facebook refuses longer ones).';
    expect(issues).toEqual([{ path: 'cards.0.buttons.0.title', message }]);
    const saved = await alice.agent
      .post('/api/broadcasts')
      .set(alice.csrf)
      .send({
        name: 'Spring',
        pages: [workspace.pageIds['2001']],
        content: carousel(tooLong),
        purpose: 'promotional',
      });
    expect(saved.status).toBe(400);
    expect(saved.body.issues).toEqual([{ path: 'content.cards.0.buttons.0.title', message }]);
  });

  it('text is counted as sent (trimmed), against 1,999 alone and 640 above buttons', async () => {
    expect((await check({ type: 'text', text: `  ${emoji(5)}  ` })).counts).toEqual([
      { path: 'text', count: 5, limit: 1999, unit: 'characters' },
    ]);
    const withButtons = await check({
      type: 'buttons',
      text: 'a'.repeat(641),
      buttons: [{ type: 'postback', title: 'Yes', payload: 'YES' }],
    });
    expect(withButtons.counts[0]).toEqual({ path: 'text', count: 641, limit: 640, unit: 'characters' });
    expect(withButtons.issues).toEqual([
      {
        path: 'text',
        message:
          'The text of a message with buttons holds at most 640 characters (Facebook refuses longer ones).',
      },
    ]);
  });

  it('content that is nothing like a message is answered with what is wrong, not an error', async () => {
    for (const content of [null, 'hello', 42, [], { type: 'video' }, { type: 'cards', cards: 'many' }]) {
      const answer = await check(content);
      expect(answer.issues.length).toBeGreaterThan(0);
    }
    const empty = await check({ type: 'cards', cards: [] });
    expect(empty.counts).toEqual([{ path: 'cards', count: 0, limit: 10, unit: 'items' }]);
    expect(empty.issues.map((issue) => issue.path)).toEqual(['cards']);
  });
});
