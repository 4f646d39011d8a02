import { spendProfileCall } from '../../bots/engine/profile-budget';
import { BotProfileSlotModel } from '../../models/bot-profile-slot';
import { useTestDatabase } from '../support/database';

const MINUTE = 60 * 1000;

describe('the Messenger Profile budget in the database', () => {
  useTestDatabase();

  it('fifteen calls racing for one Page: exactly ten go, the other five are refused and hold no place', async () => {
    const now = new Date('2026-03-01T10:00:00Z');
    const results = await Promise.allSettled(
      Array.from({ length: 15 }, () => spendProfileCall('race-page', now)),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(10);
    const refused = results.filter((result) => result.status === 'rejected');
    expect(refused).toHaveLength(5);
    for (const result of refused) expect(result.reason).toMatchObject({ status: 429 });
    expect(await BotProfileSlotModel.countDocuments({ fbPageId: 'race-page' })).toBe(10);
  });

  it('a Page’s calls do not spend another Page’s budget, and a call frees up 10 minutes after it was made', async () => {
    const start = new Date('2026-03-02T10:00:00Z');
    for (let call = 0; call < 10; call += 1) await spendProfileCall('page-a', start);
    await expect(spendProfileCall('page-b', start)).resolves.toBeUndefined();
    await expect(spendProfileCall('page-a', new Date(start.getTime() + 9 * MINUTE))).rejects.toMatchObject({
      status: 429,
      details: { retryAt: new Date(start.getTime() + 10 * MINUTE).toISOString() },
    });
    await expect(
      spendProfileCall('page-a', new Date(start.getTime() + 10 * MINUTE)),
    ).resolves.toBeUndefined();
  });
});
