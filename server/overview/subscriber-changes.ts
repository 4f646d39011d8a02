import type { Types } from 'mongoose';
import { SubscriberModel } from '../../models/subscriber';
import { zeroPerDay, type LocalDays } from './local-days';

export interface SubscriberChanges {
  days: { day: string; gained: number; lost: number }[];
  gained: number;
  lost: number;
}

/**
 * Gained: people whose first interaction with the Page was that day. Lost: people who opted out or became
 * unreachable (Meta's 551) that day and have not come back since.
 */
export async function subscriberChanges(
  pages: Types.ObjectId[],
  range: LocalDays,
): Promise<SubscriberChanges> {
  const during = { $gte: range.from, $lt: range.to };
  const [gainedAt, lostAt] = await Promise.all([
    SubscriberModel.find({ page: { $in: pages }, 'optIn.at': during })
      .select({ 'optIn.at': 1 })
      .lean()
      .then((found) => found.map((subscriber) => subscriber.optIn.at)),
    SubscriberModel.find({ page: { $in: pages }, 'unsubscribed.at': during })
      .select({ 'unsubscribed.at': 1 })
      .lean()
      .then((found) =>
        found.flatMap((subscriber) => (subscriber.unsubscribed ? [subscriber.unsubscribed.at] : [])),
      ),
  ]);
  const count = (instants: Date[]) => {
    const perDay = zeroPerDay(range);
    for (const at of instants) {
      const day = range.dayOf(at);
      if (perDay.has(day)) perDay.set(day, perDay.get(day)! + 1);
    }
    return perDay;
  };
  const [gained, lost] = [count(gainedAt), count(lostAt)];
  return {
    days: range.days.map((day) => ({ day, gained: gained.get(day)!, lost: lost.get(day)! })),
    gained: gainedAt.length,
    lost: lostAt.length,
  };
}
