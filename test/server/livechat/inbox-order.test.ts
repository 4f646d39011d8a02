import { Types } from 'mongoose';
import { ConversationModel, type ConversationStatus } from '../../../models/conversation';
import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { tenancySeed } from '../../support/tenancy-seed';

interface Listed {
  id: string;
  status: ConversationStatus;
}

describe('the inbox over several Pages and statuses', () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  /** Alice's conversations as stored, newest first: by `lastMessageAt`, then by `_id`, both descending. */
  let stored: { id: string; status: ConversationStatus; page: string; assignee: 'alice' | 'other' | null }[];

  beforeAll(async () => {
    simulator = await startSimulator({ seed: tenancySeed });
    app = await startTestApp({ simulator });
    alice = await app.login('1001');
    const connected = await alice.agent
      .post('/api/pages')
      .set(alice.csrf)
      .send({ fbPageIds: ['2001', '2002'] });
    expect(connected.status).toBe(201);
    const me = (await alice.agent.get('/api/me')).body as { workspace: { id: string }; user: { id: string } };
    const workspace = new Types.ObjectId(me.workspace.id);
    const assignees = { alice: new Types.ObjectId(me.user.id), other: new Types.ObjectId() };
    const pages = ((await alice.agent.get('/api/pages')).body.data as { id: string }[]).map(
      (page) => new Types.ObjectId(page.id),
    );
    expect(pages).toHaveLength(2);
    // Both Pages and both statuses interleaved in time, and many sharing a time, so that _id breaks the ties.
    const base = Date.UTC(2026, 5, 1);
    const conversations = Array.from({ length: 40 }, (_, i) => ({
      _id: new Types.ObjectId(),
      workspace,
      page: pages[i % 2] as Types.ObjectId,
      subscriber: new Types.ObjectId(),
      psid: `psid-${i}`,
      subscriberName: `Person ${i}`,
      status: (i % 3 === 0 ? 'resolved' : 'open') as ConversationStatus,
      lastMessageAt: new Date(base + ((i * 7) % 13) * 60_000),
      assignee: i % 4 === 1 ? assignees.alice : i % 4 === 2 ? assignees.other : null,
    }));
    await ConversationModel.insertMany([...conversations].reverse());
    stored = conversations
      .sort(
        (a, b) =>
          b.lastMessageAt.getTime() - a.lastMessageAt.getTime() || String(b._id).localeCompare(String(a._id)),
      )
      .map((c) => ({
        id: String(c._id),
        status: c.status,
        page: String(c.page),
        assignee: c.assignee === assignees.alice ? 'alice' : c.assignee ? 'other' : null,
      }));
  }, 30_000);
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  /** Every page of the list, followed by its cursor, as the dashboard scrolls it. */
  async function everyPage(query: string): Promise<{ pages: number; listed: Listed[] }> {
    const listed: Listed[] = [];
    let pages = 0;
    for (let cursor: string | null = ''; cursor !== null; pages++) {
      const answer = await alice.agent.get(`/api/conversations?${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(answer.status).toBe(200);
      listed.push(...(answer.body.data as Listed[]));
      cursor = answer.body.nextCursor as string | null;
    }
    return { pages, listed };
  }

  it('lists every conversation of both Pages once, newest first, page after page', async () => {
    const { pages, listed } = await everyPage('limit=3');
    expect(listed.map((c) => c.id)).toEqual(stored.map((c) => c.id));
    expect(pages).toBe(14);
  });

  it('lists one status of both Pages newest first, page after page', async () => {
    const { listed } = await everyPage('status=open&limit=4');
    expect(listed.map((c) => c.id)).toEqual(stored.filter((c) => c.status === 'open').map((c) => c.id));
  });

  it('lists one Page alone when asked', async () => {
    const [first] = stored;
    const { listed } = await everyPage(`pageId=${first?.page}&limit=5`);
    expect(listed.map((c) => c.id)).toEqual(stored.filter((c) => c.page === first?.page).map((c) => c.id));
  });

  it('lists the agent’s own conversations, and the unassigned ones, of both Pages newest first', async () => {
    const mine = await everyPage('view=mine&limit=3');
    expect(mine.listed.map((c) => c.id)).toEqual(
      stored.filter((c) => c.assignee === 'alice').map((c) => c.id),
    );
    const open = await everyPage('view=mine&status=open&limit=2');
    expect(open.listed.map((c) => c.id)).toEqual(
      stored.filter((c) => c.assignee === 'alice' && c.status === 'open').map((c) => c.id),
    );
    const unassigned = await everyPage('view=unassigned&limit=4');
    expect(unassigned.listed.map((c) => c.id)).toEqual(
      stored.filter((c) => c.assignee === null).map((c) => c.id),
    );
  });
});
