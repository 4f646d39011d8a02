/**
 * Every server event reaches exactly the sockets whose member may see it: the admins' room (page:health), the
 * marketing room of admins and marketers (broadcast:progress), the workspace room, and the rooms of the Pages each member may see. Each refusal has its
 * control: the intended recipient does receive the same event. REST routes are in authorization-table.test.ts.
 */
import type { PagewireSocket } from '../../support/app-harness';
import { serverEventNames } from '../../../server/realtime/events';
import { useTestDatabase } from '../../support/database';
import { startVictimWorkspace, type VictimWorkspace } from './victim-workspace';

type Who = 'alice' | 'bob' | 'carol';
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
  const received: Record<Who, string[]> = { alice: [], bob: [], carol: [] };
  const roomOf = new Map<string, string>();

  beforeAll(async () => {
    world = await startVictimWorkspace();
    const { fixtures } = world;
    roomOf.set(fixtures.page, 'shared-page').set(fixtures.hiddenPage, 'private-page');
    for (const who of ['alice', 'bob', 'carol'] as const) {
      const socket: PagewireSocket = await world.app.socketFor(world[who]);
      socket.onAny((event: string, payload: { pageId?: string; probe?: string; broadcastId?: string }) => {
        const where = payload.probe ?? roomOf.get(payload.pageId ?? '') ?? payload.broadcastId ?? 'elsewhere';
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

  it('every server event, emitted to each kind of room, reaches exactly the members of that room', async () => {
    const realtime = world.app.server().accounts.realtime;
    const { workspace, page, hiddenPage } = world.fixtures;
    for (const event of serverEventNames) {
      realtime.emitToAdmins(workspace, event, { probe: 'admins' } as never);
      realtime.emitToMarketing(workspace, event, { probe: 'marketing' } as never);
      realtime.emitToWorkspace(workspace, event, { probe: 'workspace' } as never);
      realtime.emitToPage(page, event, { probe: 'shared-page' } as never);
      realtime.emitToPage(hiddenPage, event, { probe: 'private-page' } as never);
    }
    const expected = (rooms: string[]) =>
      serverEventNames.flatMap((event) => rooms.map((room) => `${event} ${room}`)).sort();
    await until(() => received.alice.length >= serverEventNames.length * 5);
    await sleep(200);
    expect(received.alice.sort()).toEqual(
      expected(['admins', 'marketing', 'workspace', 'shared-page', 'private-page']),
    );
    expect(received.carol.sort()).toEqual(expected(['workspace', 'shared-page']));
    expect(received.bob).toEqual([]);
  });

  it('a socket without a session is refused', async () => {
    await expect(world.app.socketFor({ cookie: '' })).rejects.toThrow(/unauthorized/);
  });
});
