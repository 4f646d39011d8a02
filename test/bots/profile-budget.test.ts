import { profileBudget, spendProfileCall } from '../../bots/engine/profile-budget';
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

  it('reading the budget spends none of it, and says when the oldest call of a spent window frees up', async () => {
    const start = new Date('2026-03-03T10:00:00Z');
    const at = (minutes: number) => new Date(start.getTime() + minutes * MINUTE);
    expect(await profileBudget('page-c', start)).toEqual({
      limit: 10,
      windowMinutes: 10,
      remaining: 10,
      nextFreeAt: null,
    });
    for (let call = 0; call < 10; call += 1) await spendProfileCall('page-c', at(call < 4 ? 0 : 3));
    expect(await profileBudget('page-c', at(5))).toMatchObject({
      remaining: 0,
      nextFreeAt: at(10).toISOString(),
    });
    expect(await profileBudget('page-c', at(5))).toMatchObject({ remaining: 0 });
    expect(await profileBudget('page-c', at(10))).toMatchObject({ remaining: 4, nextFreeAt: null });
    expect(await profileBudget('page-c', at(13))).toMatchObject({ remaining: 10 });
  });
});
