/** The Redis the run's scale-out tests share: REDIS_URL, else the redis-server global-setup.ts started. */
export function testRedisUrl(): string {
  const url = process.env.PAGEWIRE_TEST_REDIS_URL;
  if (!url) {
    throw new Error(
      `This test needs Redis: set REDIS_URL or put redis-server on PATH (${process.env.PAGEWIRE_TEST_REDIS_MISSING ?? 'none found'}).`,
    );
  }
  return url;
}
