import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SimClock } from '../../simulator/clock';
import { resolveSettings } from '../../simulator/settings';
import { standaloneConfig } from '../../simulator/standalone';
import { HOUR, PAGE_ID, startWorld, type World } from './harness';

const SEED = resolve(__dirname, '../../simulator/seed.example.json');

describe('the simulated clock', () => {
  describe('manual (the default, for tests)', () => {
    let world: World;
    beforeAll(async () => {
      world = await startWorld({ startTime: Date.UTC(2026, 0, 1) });
    });
    afterAll(() => world.sim.stop());

    it('stands still while real time passes and moves exactly as far as it is advanced', async () => {
      const start = await world.sim.control.now();
      expect(start).toBe(Date.UTC(2026, 0, 1));
      await sleep(30);
      expect(await world.sim.control.now()).toBe(start);
      expect(await world.sim.control.advanceTime(HOUR)).toBe(start + HOUR);
      await world.sim.control.reset();
      expect(await world.sim.control.now()).toBe(start);
    });
  });

  describe('realtime (the standalone simulator)', () => {
    let world: World;
    beforeAll(async () => {
      world = await startWorld({ clock: 'realtime' });
    });
    afterAll(() => world.sim.stop());

    it('runs with the wall clock, so a message sent later carries a later timestamp', async () => {
      const first = await world.sim.control.sendText('alice', PAGE_ID, 'hi');
      await sleep(40);
      const second = await world.sim.control.sendText('alice', PAGE_ID, 'still there?');
      expect(second.timestamp - first.timestamp).toBeGreaterThanOrEqual(35);
      expect(Math.abs(second.timestamp - Date.now())).toBeLessThan(1000);
      expect((await world.sim.control.info()).clock).toBe('realtime');
    });

    it('reads the wall clock itself when it starts at the real now, however long starting takes', () => {
      // Each reading of the wall clock 5 ms after the one before, as on a busy machine.
      let wall = Date.UTC(2026, 5, 1);
      const readings = jest.spyOn(Date, 'now').mockImplementation(() => (wall += 5));
      try {
        // As the simulator starts it: settings first, the clock from them afterwards.
        const clock = new SimClock(resolveSettings({ clock: 'realtime' }).startTime, 'realtime');
        expect(clock.now()).toBe(wall);
      } finally {
        readings.mockRestore();
      }
    });

    it('adds what was advanced on top of real time, and reset drops only the advance', async () => {
      const before = Date.now();
      const advanced = await world.sim.control.advanceTime(25 * HOUR);
      expect(advanced).toBeGreaterThanOrEqual(before + 25 * HOUR);
      await sleep(20);
      expect(await world.sim.control.now()).toBeGreaterThanOrEqual(advanced + 15);
      await world.sim.control.reset();
      const now = await world.sim.control.now();
      expect(now).toBeGreaterThanOrEqual(before);
      expect(now).toBeLessThan(before + HOUR);
    });
  });

  describe('npm run simulator', () => {
    it('runs the clock in real time unless SIM_CLOCK says manual', () => {
      expect(standaloneConfig({ SIM_SEED: SEED }).options.clock).toBe('realtime');
      expect(standaloneConfig({ SIM_SEED: SEED, SIM_CLOCK: 'manual' }).options.clock).toBe('manual');
      expect(() => standaloneConfig({ SIM_SEED: SEED, SIM_CLOCK: 'fast' })).toThrow(/SIM_CLOCK/);
    });

    it('serves the seed file on the configured port with webhooks to the configured callback', () => {
      const { options } = standaloneConfig({
        SIM_SEED: SEED,
        SIM_PORT: '3999',
        SIM_WEBHOOK_URL: 'http://127.0.0.1:3000/webhooks/facebook',
      });
      expect(options).toMatchObject({
        port: 3999,
        appId: '1234567890123456',
        webhook: { callbackUrl: 'http://127.0.0.1:3000/webhooks/facebook' },
      });
      expect(options.seed?.pages?.length).toBeGreaterThan(0);
    });
  });
});
