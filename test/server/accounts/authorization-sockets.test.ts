/**
 * Every server event reaches exactly the sockets whose member may see it: the admins' room (page:health), the
 * marketing room of admins and marketers (broadcast:progress), the workspace room, the rooms of the Pages each member
 * may see, and their automation rooms (capture:outcome), which only admins and marketers join. Each refusal has its
 * control: the intended recipient does receive the same event. REST routes are in authorization-table.test.ts.
 */
import type { PagewireSocket } from '../../support/app-harness';
import { serverEventNames } from '../../../server/realtime/events';
import { useTestDatabase } from '../../support/database';
import { startVictimWorkspace, type VictimWorkspace } from './victim-workspace';

type Who = 'alice' | 'bob' | 'carol' | 'dave';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('event not received in time');
    await sleep(25);
  }
}

describe('authorization: every socket event reaches its room and nobody else', () => {
  useTestDatabase();
  let world: VictimWorkspace;
  /** What each socket received, as `event pageId-or-probe`. */
  const received: Record<Who, string[]> = { alice: [], bob: [], carol: [], dave: [] };
  const roomOf = new Map<string, string>();

  beforeAll(async () => {
    world = await startVictimWorkspace();
    const { fixtures } = world;
    roomOf.set(fixtures.page, 'shared-page').set(fixtures.hiddenPage, 'private-page');
    for (const who of ['alice', 'bob', 'carol', 'dave'] as const) {
      const socket: PagewireSocket = await world.app.socketFor(world[who]);
      socket.onAny((event: string, payload: { pageId?: string; probe?: string; broadcastId?: string }) => {
        const where = payload.probe
          ? `probe:${payload.probe}`
          : (roomOf.get(payload.pageId ?? '') ?? payload.broadcastId ?? 'elsewhere');
        received[who].push(`${event} ${where}`);
      });
    }
  }, 30_000);
  afterAll(() => world.stop());
  beforeEach(() => {
    for (const list of Object.values(received)) list.length = 0;
  });

  it('a person’s message reaches the agents of a shared Page, and never an agent outside a private one', async () => {
    await world.simulator.control.sendText('p1', '2001', 'second message, shoes');
    await world.simulator.control.sendText('p2', '2002', 'second message, hats');
    await world.settled();
    await until(() => received.alice.includes('message:new private-page'));
    await until(() => received.carol.includes('message:new shared-page'));
    await sleep(200);
    expect(received.carol.filter((event) => event.includes('private-page'))).toEqual([]);
    expect(received.bob).toEqual([]);
  });

  it('a sending broadcast’s progress reaches the workspace’s admins, never its agents', async () => {
    const { broadcast } = world.fixtures;
    await world.alice.agent.post(`/api/broadcasts/${broadcast}/send`).set(world.alice.csrf).expect(200);
    await until(() => received.alice.includes(`broadcast:progress ${broadcast}`));
    await sleep(200);
    expect(received.carol.filter((event) => event.startsWith('broadcast:'))).toEqual([]);
    expect(received.bob).toEqual([]);
  });

  it('a capture’s outcome reaches the admins and marketers of the Page, never its agents', async () => {
    const { postId } = await world.simulator.control.createPost('2001', 'New socks in stock');
    await world.simulator.control.comment('p1', postId, 'which colours?');
    await world.settled();
    // One outcome per capture of the Page (each answers any post): all of them arrive before the next test.
    const captures = (await world.alice.agent.get('/api/captures')).body.data as { page: string }[];
    const expected = captures.filter((capture) => capture.page === world.fixtures.page).length;
    const outcomes = (who: Who) => received[who].filter((event) => event === 'capture:outcome shared-page');
    await until(() => outcomes('alice').length === expected && outcomes('dave').length === expected);
    await sleep(200);
    expect(received.carol.filter((event) => event.startsWith('capture:'))).toEqual([]);
    expect(received.bob).toEqual([]);
  });

  it('every server event, emitted to each kind of room, reaches exactly the members of that room', async () => {
    const realtime = world.app.server().accounts.realtime;
    const { workspace, page, hiddenPage } = world.fixtures;
    for (const event of serverEventNames) {
      realtime.emitToAdmins(workspace, event, { probe: 'admins' } as never);
      realtime.emitToMarketing(workspace, event, { probe: 'marketing' } as never);
      realtime.emitToWorkspace(workspace, event, { probe: 'workspace' } as never);
      realtime.emitToPage(page, event, { probe: 'shared-page' } as never);
      realtime.emitToPage(hiddenPage, event, { probe: 'private-page' } as never);
      realtime.emitToAutomation(page, event, { probe: 'shared-automation' } as never);
      realtime.emitToAutomation(hiddenPage, event, { probe: 'private-automation' } as never);
    }
    const expected = (rooms: string[]) =>
      serverEventNames.flatMap((event) => rooms.map((room) => `${event} probe:${room}`)).sort();
    // Only the probes count: a real event of an earlier test (a broadcast still reporting progress) may still arrive.
    const probed = (who: Who) => received[who].filter((event) => event.includes(' probe:')).sort();
    await until(() => probed('alice').length >= serverEventNames.length * 7);
    await sleep(200);
    expect(probed('alice')).toEqual(
      expected([
        'admins',
        'marketing',
        'workspace',
        'shared-page',
        'private-page',
        'shared-automation',
        'private-automation',
      ]),
    );
    expect(probed('carol')).toEqual(expected(['workspace', 'shared-page']));
    expect(probed('dave')).toEqual(expected(['marketing', 'workspace', 'shared-page', 'shared-automation']));
    expect(received.bob).toEqual([]);
  });

  it('a socket without a session is refused', async () => {
    await expect(world.app.socketFor({ cookie: '' })).rejects.toThrow(/unauthorized/);
  });
});
