import { AckPressure } from '../../webhooks/ack-pressure';

describe("a broadcast's share of its rate, from how fast webhooks are acknowledged", () => {
  let nowMs = 0;
  let loopDelayMs = 0;
  const loopDelay = { read: () => loopDelayMs, stop: () => undefined };
  const pressure = (targetMs = 100) => new AckPressure(targetMs, () => nowMs, loopDelay);
  const acknowledge = (target: AckPressure, ackMs: number, times: number) => {
    for (let i = 0; i < times; i++) {
      nowMs += 50;
      target.observe(ackMs);
    }
  };
  beforeEach(() => {
    nowMs = 0;
    loopDelayMs = 0;
  });

  it('is whole while acknowledgements are quick', () => {
    const target = pressure();
    acknowledge(target, 5, 100);
    expect(target.broadcastShare()).toBe(1);
  });

  it('shrinks while they are slow, never to nothing, and grows back once they are quick again', () => {
    const target = pressure();
    acknowledge(target, 400, 20);
    const slowed = target.broadcastShare();
    expect(slowed).toBeLessThan(0.5);
    acknowledge(target, 400, 400);
    expect(target.broadcastShare()).toBeCloseTo(0.05);
    acknowledge(target, 5, 400);
    expect(target.broadcastShare()).toBe(1);
  });

  it('one slow acknowledgement among quick ones does not slow a broadcast', () => {
    const target = pressure();
    acknowledge(target, 5, 40);
    acknowledge(target, 900, 1);
    acknowledge(target, 5, 40);
    expect(target.broadcastShare()).toBe(1);
  });

  it('is whole again once no webhook has come for a while: there is nothing left to protect', () => {
    const target = pressure();
    acknowledge(target, 400, 40);
    expect(target.broadcastShare()).toBeLessThan(1);
    nowMs += 6_000;
    expect(target.broadcastShare()).toBe(1);
  });

  it("is whole while the loop is slowed by other work (a broadcast's fan-out) and acknowledgements stay quick", () => {
    const target = pressure(250);
    loopDelayMs = 135;
    acknowledge(target, 2, 200);
    expect(target.broadcastShare()).toBe(1);
  });

  it("shrinks when the loop's delay and the acknowledgements' time together pass the target, each under it", () => {
    const target = pressure(250);
    loopDelayMs = 180;
    acknowledge(target, 120, 40);
    expect(target.broadcastShare()).toBeLessThan(0.5);
  });
});
