import { PAGE_ID, send, startWorld, textTo, type World } from './harness';

function usage(header: unknown) {
  const parsed = JSON.parse(String(header)) as Record<
    string,
    { call_count: number; estimated_time_to_regain_access: number }[]
  >;
  return parsed[PAGE_ID]?.[0];
}

describe('rate limits and injected faults', () => {
  let world: World;
  let psid: string;

  beforeAll(async () => {
    world = await startWorld({ rateLimits: { cooldownMs: 300 } });
  });
  afterAll(() => world.sim.stop());
  beforeEach(async () => {
    await world.sim.control.reset();
    ({ psid } = await world.sim.control.sendText('alice', PAGE_ID, 'hi'));
  });

  it('reports business use case usage that rises with use within the window', async () => {
    await world.sim.control.setRateLimits({ pageId: PAGE_ID, textPerSecond: 10 });
    const first = await send(world, textTo(psid));
    const second = await send(world, textTo(psid));
    expect(usage(first.headers['x-business-use-case-usage'])).toMatchObject({
      call_count: 10,
      estimated_time_to_regain_access: 0,
    });
    expect(usage(second.headers['x-business-use-case-usage'])?.call_count).toBe(20);
    expect(JSON.parse(String(second.headers['x-app-usage']))).toHaveProperty('call_count');
  });

  it('answers 613 with estimated_time_to_regain_access beyond the Page limit, then regains access', async () => {
    await world.sim.control.setRateLimits({ pageId: PAGE_ID, textPerSecond: 3 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await send(world, textTo(psid))).status);
    expect(statuses).toEqual([200, 200, 200, 400]);
    const refused = await send(world, textTo(psid));
    expect(refused.data.error).toMatchObject({
      code: 613,
      error_data: { estimated_time_to_regain_access_ms: expect.any(Number) },
    });
    expect(usage(refused.headers['x-business-use-case-usage'])).toMatchObject({
      call_count: 100,
      estimated_time_to_regain_access: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await send(world, textTo(psid))).status).toBe(200);
  });

  it('counts audio and video against the media limit of the Page', async () => {
    await world.sim.control.setRateLimits({ pageId: PAGE_ID, mediaPerSecond: 1 });
    const audio = {
      ...textTo(psid),
      message: { attachment: { type: 'audio', payload: { url: 'https://cdn.example/a.mp3' } } },
    };
    expect((await send(world, audio)).status).toBe(200);
    expect((await send(world, audio)).data.error.code).toBe(613);
  });

  it('can answer a BUC code instead of 613', async () => {
    await world.sim.control.setRateLimits({ pageId: PAGE_ID, textPerSecond: 1, errorCode: 80006 });
    await send(world, textTo(psid));
    expect((await send(world, textTo(psid))).data.error.code).toBe(80006);
  });

  it('injects 500s and temporary errors on demand without recording violations', async () => {
    await world.sim.control.setFaults({ next: ['server_error', 'temporary', 'send_failure'] });
    const server = await send(world, textTo(psid));
    const temporary = await send(world, textTo(psid));
    const sendFailure = await send(world, textTo(psid));
    expect(server.status).toBe(500);
    expect(temporary.data.error).toMatchObject({ code: 2, is_transient: true });
    expect(sendFailure.data.error.code).toBe(1200);
    expect((await send(world, textTo(psid))).status).toBe(200);
    expect(await world.sim.control.violations()).toEqual([]);
  });

  it('a timeout after acceptance drops the response but the message was sent', async () => {
    await world.sim.control.setFaults({ next: ['timeout'], timeoutHoldMs: 300, timeoutAfterAccept: true });
    const outcome = await world.graph
      .post(`/${PAGE_ID}/messages`, textTo(psid, 'maybe'), {
        params: { access_token: world.pageToken },
        timeout: 100,
      })
      .then(
        () => 'answered',
        (error: { code?: string }) => error.code,
      );
    expect(outcome).toBe('ECONNABORTED');
    const [sent] = await world.sim.control.sentMessages({ psid });
    expect(sent).toMatchObject({ message: { text: 'maybe' }, responseDropped: true });
  });

  it('a timeout before acceptance drops the response and sends nothing', async () => {
    await world.sim.control.setFaults({ next: ['timeout'], timeoutHoldMs: 50, timeoutAfterAccept: false });
    const outcome = await world.graph
      .post(`/${PAGE_ID}/messages`, textTo(psid, 'lost'), { params: { access_token: world.pageToken } })
      .then(
        () => 'answered',
        (error: { code?: string }) => error.code,
      );
    expect(outcome).toBe('ECONNRESET');
    expect(await world.sim.control.sentMessages({ psid })).toEqual([]);
  });

  it('slows responses by the configured delay', async () => {
    await world.sim.control.setFaults({ slowMs: 150 });
    const started = Date.now();
    expect((await send(world, textTo(psid))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});
