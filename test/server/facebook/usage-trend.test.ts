import { UsageTrend } from '../../../server/facebook/usage-trend';

/** Readings a tenth of a second apart, starting at `fromMs`; returns the time of the last one. */
function readEvery100ms(trend: UsageTrend, fromMs: number, percents: number[]): number {
  percents.forEach((percent, i) => trend.record(fromMs + i * 100, percent));
  return fromMs + (percents.length - 1) * 100;
}

describe('telling a climbing usage from a steady one', () => {
  test('usage that keeps climbing past the margin is rising', () => {
    const trend = new UsageTrend(5000);
    // One point a second from 70 %, for eight seconds.
    const percents = Array.from({ length: 80 }, (_, i) => 70 + Math.floor(i / 10));
    const last = readEvery100ms(trend, 0, percents);
    expect(trend.isRising(last)).toBe(true);
  });

  test('usage steady near 100 %, wobbling by a point or two, is not rising', () => {
    const trend = new UsageTrend(5000);
    const percents = Array.from({ length: 100 }, (_, i) => [98, 100, 99, 100][i % 4] ?? 100);
    const last = readEvery100ms(trend, 0, percents);
    expect(trend.isRising(last)).toBe(false);
  });

  test('a batch that climbed from quiet to 100 % and stayed there is not rising once it levelled off', () => {
    const trend = new UsageTrend(5000);
    const ramp = Array.from({ length: 10 }, (_, i) => (i + 1) * 10);
    const last = readEvery100ms(trend, 500, [...ramp, ...Array<number>(60).fill(100)]);
    expect(trend.isRising(last)).toBe(false);
  });

  test('with no reading one horizon old there is no climb to see', () => {
    const trend = new UsageTrend(5000);
    const last = readEvery100ms(trend, 0, [10, 40, 80, 99]);
    expect(trend.isRising(last)).toBe(false);
  });
});
