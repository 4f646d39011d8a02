import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { eventually, livechatSeed } from '../livechat/livechat-world';

interface ThreadMessage {
  direction: 'inbound' | 'outbound' | 'internal';
  text?: string;
  occurredAt: string;
  conversationId: string;
}

const MINUTE = 60_000;
/** A zone whose days start at 18:30 UTC, so a day in UTC would count differently. */
const tz = 'Asia/Kolkata';
const dayIn = (iso: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));

describe('the Overview: figures per day from what people and agents did, for the Pages a member may see', () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let bob: LoggedInUser;
  let carol: LoggedInUser;
  let shoes: string;
  let hats: string;
  /** Each first wait: the person's first message of an episode, and the agent's first reply after it. */
  const waits: { askedAt: string; answeredAt: string }[] = [];

  const sim = () => simulator.control;
  const settled = async () => {
    await sim().waitForWebhookIdle();
    await app.server().webhooks.processor.idle();
  };
  const later = async (ms: number) => {
    await sim().advanceTime(ms);
    app.clock.advance(ms);
  };
  const conversationOf = async (admin: LoggedInUser, name: string, pageId: string) => {
    const listed = await admin.agent.get(`/api/conversations?pageId=${pageId}`);
    const found = (listed.body.data as { id: string; subscriberName: string }[]).find((c) =>
      c.subscriberName.startsWith(name),
    );
    if (!found) throw new Error(`no conversation with ${name}: ${listed.text}`);
    return found.id;
  };
  const threadOf = async (user: LoggedInUser, conversationId: string): Promise<ThreadMessage[]> =>
    (await user.agent.get(`/api/conversations/${conversationId}/messages?limit=100`)).body.data;
  const reply = async (conversationId: string, text: string): Promise<string> => {
    const sent = await alice.agent
      .post(`/api/conversations/${conversationId}/messages`)
      .set(alice.csrf)
      .send({ type: 'text', text });
    expect(sent.status).toBe(201);
    return sent.body.message.occurredAt as string;
  };
  const askedAt = async (conversationId: string, text: string) => {
    const message = (await threadOf(alice, conversationId)).find((m) => m.text === text);
    if (!message) throw new Error(`no message "${text}"`);
    return message.occurredAt;
  };
  const overview = (user: LoggedInUser, path: string, query = '') =>
    user.agent.get(`/api/overview/${path}?days=7&tz=${encodeURIComponent(tz)}${query}`);

  beforeAll(async () => {
    simulator = await startSimulator({ seed: livechatSeed });
    app = await startTestApp({ simulator });
    await sim().setWebhook({ callbackUrl: `${app.url}/webhooks/facebook`, retryDelaysMs: [50, 100, 200] });
    [alice, bob] = await Promise.all([app.login('1001'), app.login('1002')]);
    const connected = await alice.agent
      .post('/api/pages')
      .set(alice.csrf)
      .send({ fbPageIds: ['2001', '2002'] });
    const ids = new Map(
      connected.body.data.map((page: { fbPageId: string; id: string }) => [page.fbPageId, page.id]),
    );
    [shoes, hats] = [ids.get('2001') as string, ids.get('2002') as string];
    await bob.agent
      .post('/api/pages')
      .set(bob.csrf)
      .send({ fbPageIds: ['3001'] })
      .expect(201);
    // Carol, an agent, sees Shoes (shared with the workspace) and not Hats (Alice's own).
    await alice.agent.patch(`/api/pages/${hats}`).set(alice.csrf).send({ scope: 'private' }).expect(200);
    const invitation = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role: 'agent' });
    carol = await app.login('1003', { invitationUrl: invitation.body.url });

    // Start at 20:00 UTC, 01:30 the next day in Kolkata: counted in UTC days, every figure would fall a day early.
    const now = app.clock.now().getTime();
    const day = 24 * 60 * MINUTE;
    await later((((20 * 60 * MINUTE - (now % day)) % day) + day) % day);

    await sim().sendText('p1', '2001', 'are the red shoes in stock?');
    await sim().sendText('p2', '2001', 'hi');
    await sim().sendText('p3', '2002', 'do you have caps?');
    await sim().sendText('p1', '3001', 'a bike question, for the other workspace');
    await settled();
    const [pia, paul] = [
      await conversationOf(alice, 'Pia', shoes),
      await conversationOf(alice, 'Paul', shoes),
    ];

    await later(5 * MINUTE);
    waits.push({
      askedAt: await askedAt(pia, 'are the red shoes in stock?'),
      answeredAt: await reply(pia, 'yes, in every size'),
    });
    await later(MINUTE);
    await reply(pia, 'anything else?'); // not a first response: Pia was answered already
    await later(10 * MINUTE);
    waits.push({ askedAt: await askedAt(paul, 'hi'), answeredAt: await reply(paul, 'hello Paul') });

    // Resolved, then reopened by Pia: a new episode, a new first response.
    await alice.agent.post(`/api/conversations/${pia}/resolve`).set(alice.csrf).expect(200);
    await later(60 * MINUTE);
    await sim().sendText('p1', '2001', 'one more thing');
    await settled();
    await later(2 * MINUTE);
    waits.push({ askedAt: await askedAt(pia, 'one more thing'), answeredAt: await reply(pia, 'go on') });

    await sim().sendText('p2', '2001', 'stop'); // Paul opts out: one subscriber lost
    await sim().sendText('p4', '2001', 'anyone there?');
    await settled();
  }, 60_000);
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  it('conversations and messages per day are those of the member’s workspace, in the browser’s days', async () => {
    const threads = await Promise.all(
      [
        ['Pia', shoes],
        ['Paul', shoes],
        ['Pete', shoes],
        ['Petra', hats],
      ].map(async ([name, page]) => threadOf(alice, await conversationOf(alice, name!, page!))),
    );
    const expected = new Map<string, { conversations: Set<string>; received: number; sent: number }>();
    for (const message of threads.flat()) {
      if (message.direction === 'internal') continue;
      const day = dayIn(message.occurredAt);
      const counts = expected.get(day) ?? { conversations: new Set(), received: 0, sent: 0 };
      counts.conversations.add(message.conversationId);
      if (message.direction === 'inbound') counts.received += 1;
      else counts.sent += 1;
      expected.set(day, counts);
    }

    const { body } = await overview(alice, 'activity').expect(200);
    expect(body.days).toHaveLength(7);
    expect(body.days.at(-1).day).toBe(dayIn(app.clock.now().toISOString()));
    for (const { day, conversations, received, sent } of body.days) {
      const counts = expected.get(day);
      expect({ day, conversations, received, sent }).toEqual({
        day,
        conversations: counts?.conversations.size ?? 0,
        received: counts?.received ?? 0,
        sent: counts?.sent ?? 0,
      });
    }
    const sum = (key: 'received' | 'sent') =>
      body.days.reduce((total: number, day: Record<string, number>) => total + day[key]!, 0);
    // Pia twice, Paul twice, Pete and Petra: Pia's message to Bob's Page is not Alice's.
    expect(sum('received')).toBe(6);
    // Alice's four replies and the acknowledgement of Paul's opt-out.
    expect(sum('sent')).toBe(5);
  });

  it('the median first response counts each episode’s first agent reply once, from the person’s first message', async () => {
    const seconds = waits.map((wait) => (Date.parse(wait.answeredAt) - Date.parse(wait.askedAt)) / 1000);
    expect(seconds.every((wait) => wait > 0)).toBe(true);
    const { body } = await overview(alice, 'first-response').expect(200);
    expect(body.responses).toBe(3);
    expect(body.medianSeconds).toBe(Math.round([...seconds].sort((a, b) => a - b)[1]!));
    for (const { day, responses, medianSeconds } of body.days) {
      const that = seconds.filter((_, i) => dayIn(waits[i]!.askedAt) === day).sort((a, b) => a - b);
      expect(responses).toBe(that.length);
      const middle = Math.floor(that.length / 2);
      const median = that.length % 2 === 1 ? that[middle]! : (that[middle - 1]! + that[middle]!) / 2;
      expect(medianSeconds).toBe(that.length === 0 ? null : Math.round(median));
    }
  });

  it('subscribers gained and lost per day: four people wrote to Alice’s Pages, Paul opted out', async () => {
    const { body } = await overview(alice, 'subscribers').expect(200);
    expect({ gained: body.gained, lost: body.lost }).toEqual({ gained: 4, lost: 1 });
    const today = dayIn(app.clock.now().toISOString());
    expect(body.days.find((day: { day: string }) => day.day === today).lost).toBe(1);
    const bobs = await overview(bob, 'subscribers').expect(200);
    expect({ gained: bobs.body.gained, lost: bobs.body.lost }).toEqual({ gained: 1, lost: 0 });
  });

  it('the conversations waiting longest are the open ones whose last message is the person’s, oldest first', async () => {
    const { body } = await alice.agent.get('/api/overview/waiting').expect(200);
    expect(body.conversations.map((c: { subscriberName: string }) => c.subscriberName)).toEqual([
      'Petra Batch',
      'Pete Stopper',
    ]);
    expect(body.conversations[1]).toMatchObject({ pageId: shoes, preview: 'anyone there?' });
  });

  it('an agent’s Overview counts only the Pages they see; another Page is a 404 and running broadcasts a 403', async () => {
    const activity = await overview(carol, 'activity').expect(200);
    const received = activity.body.days.reduce(
      (total: number, day: { received: number }) => total + day.received,
      0,
    );
    expect(received).toBe(5);
    const waiting = await carol.agent.get('/api/overview/waiting').expect(200);
    expect(waiting.body.conversations.map((c: { subscriberName: string }) => c.subscriberName)).toEqual([
      'Pete Stopper',
    ]);
    expect((await overview(carol, 'subscribers', `&pageId=${hats}`)).status).toBe(404);
    expect((await carol.agent.get('/api/overview/broadcasts')).status).toBe(403);
    // Alice may narrow to one Page; Bob may not see hers at all.
    const hatsOnly = await overview(alice, 'subscribers', `&pageId=${hats}`).expect(200);
    expect(hatsOnly.body.gained).toBe(1);
    expect((await overview(bob, 'activity', `&pageId=${shoes}`)).status).toBe(404);
  });

  it('bad ranges and time zones are 400s that name the field', async () => {
    for (const query of [
      'days=0',
      'days=91',
      'days=two',
      'tz=Mars%2FOlympus',
      'tz=',
      'pageId=nope',
      'extra=1',
    ]) {
      const answer = await alice.agent.get(`/api/overview/activity?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('a broadcast sending or paused shows with its totals so far, to its marketers only', async () => {
    await sim().setFaults({ slowMs: 3_000, appliesTo: 'messages' });
    const created = await alice.agent
      .post('/api/broadcasts')
      .set(alice.csrf)
      .send({
        name: 'Spring sale',
        pages: [shoes],
        content: { type: 'text', text: 'spring sale' },
        audience: {},
        purpose: 'promotional',
      })
      .expect(201);
    const id = created.body._id as string;
    await alice.agent.post(`/api/broadcasts/${id}/send`).set(alice.csrf).expect(200);
    await alice.agent.post(`/api/broadcasts/${id}/pause`).set(alice.csrf).expect(200);
    const { body } = await alice.agent.get('/api/overview/broadcasts').expect(200);
    expect(body.broadcasts).toEqual([
      expect.objectContaining({ id, name: 'Spring sale', state: 'paused', pageIds: [shoes] }),
    ]);
    expect(body.broadcasts[0].totals).toMatchObject({ failed: 0 });
    expect(
      (await alice.agent.get(`/api/overview/broadcasts?pageId=${hats}`).expect(200)).body.broadcasts,
    ).toEqual([]);
    expect((await bob.agent.get('/api/overview/broadcasts').expect(200)).body.broadcasts).toEqual([]);
    await sim().setFaults({ slowMs: 0 });
    await alice.agent.post(`/api/broadcasts/${id}/cancel`).set(alice.csrf).expect(200);
    await eventually(
      async () => (await alice.agent.get('/api/overview/broadcasts')).body.broadcasts.length === 0,
    );
  });
});
