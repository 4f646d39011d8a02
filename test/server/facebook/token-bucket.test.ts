import { TokenBucket } from '../../../server/facebook/token-bucket';
import { PerSecondWindow, unansweredCountsMs } from '../../../server/facebook/per-second-window';

describe('the token bucket', () => {
  test('gives one token at once, then one per 1/rate seconds', () => {
    const bucket = new TokenBucket(0, 50);
    expect(bucket.tryTake(0, 100)).toBe(true);
    expect(bucket.tryTake(0, 100)).toBe(false);
    expect(bucket.msUntilNextToken(0, 100)).toBeCloseTo(10);
    expect(bucket.tryTake(10, 100)).toBe(true);
  });

  test('saves up at most the burst while idle', () => {
    const bucket = new TokenBucket(0, 50);
    let taken = 0;
    while (bucket.tryTake(60_000, 200)) taken += 1;
    expect(taken).toBe(10);
  });

  test('over a long run, the number of tokens matches the rate', () => {
    const bucket = new TokenBucket(0, 50);
    let taken = 0;
    for (let nowMs = 0; nowMs < 10_000; nowMs += 7) while (bucket.tryTake(nowMs, 300)) taken += 1;
    expect(taken).toBeGreaterThanOrEqual(2995);
    expect(taken).toBeLessThanOrEqual(3001);
  });
});

describe('the per-second window', () => {
  test('never lets more than the rate into one second after their answers, and says when the next may go', () => {
    const window = new PerSecondWindow();
    for (let i = 0; i < 5; i += 1) {
      expect(window.hasRoom(100 + i, 5)).toBe(true);
      window.answered(window.record(), 100 + i);
    }
    expect(window.hasRoom(600, 5)).toBe(false);
    expect(window.msUntilRoom(600)).toBe(500);
    expect(window.hasRoom(1100, 5)).toBe(true);
  });

  test('a send counts until a second after its answer, since Meta may count it as late as that', () => {
    const window = new PerSecondWindow();
    const slow = window.record();
    window.answered(window.record(), 2);
    expect(window.hasRoom(1500, 2)).toBe(true);
    const next = window.record();
    // Both counted sends are still in flight: room comes a second after one of them is answered.
    expect(window.hasRoom(1550, 2)).toBe(false);
    expect(window.msUntilRoom(1550)).toBe(Infinity);
    window.answered(slow, 1600);
    window.answered(next, 1700);
    expect(window.hasRoom(2550, 2)).toBe(false);
    expect(window.msUntilRoom(2550)).toBe(50);
    expect(window.hasRoom(2600, 2)).toBe(true);
  });

  test('a send that got no answer counts ten seconds after it was given up on: it may yet reach Meta', () => {
    const window = new PerSecondWindow();
    window.gaveUp(window.record(), 1000);
    expect(window.hasRoom(2500, 1)).toBe(false);
    expect(window.msUntilRoom(2500)).toBe(unansweredCountsMs - 1500);
    expect(window.hasRoom(1000 + unansweredCountsMs, 1)).toBe(true);
  });
});

test('a bucket that forgets its savings gives one token, then the even pace again', () => {
  const bucket = new TokenBucket(0, 1000);
  bucket.forgetSavings(5000, 100);
  expect(bucket.tryTake(5000, 100)).toBe(true);
  expect(bucket.tryTake(5000, 100)).toBe(false);
});
