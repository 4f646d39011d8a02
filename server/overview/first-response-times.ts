import type { Types } from 'mongoose';
import { FirstResponseModel } from '../../models/first-response';
import type { LocalDays } from './local-days';

export interface FirstResponseTimes {
  /** By the day the person asked; null on a day nobody was answered. */
  days: { day: string; medianSeconds: number | null; responses: number }[];
  medianSeconds: number | null;
  responses: number;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return Math.round(value);
}

/** The median wait from a person's first message of an episode to an agent's first reply (livechat records it). */
export async function firstResponseTimes(
  pages: Types.ObjectId[],
  range: LocalDays,
): Promise<FirstResponseTimes> {
  const waits = new Map<string, number[]>(range.days.map((day) => [day, []]));
  const responses = FirstResponseModel.find({
    page: { $in: pages },
    askedAt: { $gte: range.from, $lt: range.to },
  })
    .select({ askedAt: 1, answeredAt: 1 })
    .lean()
    .cursor({ batchSize: 1_000 });
  for await (const response of responses) {
    waits
      .get(range.dayOf(response.askedAt))
      ?.push((response.answeredAt.getTime() - response.askedAt.getTime()) / 1000);
  }
  const all = [...waits.values()].flat();
  return {
    days: range.days.map((day) => ({
      day,
      medianSeconds: median(waits.get(day)!),
      responses: waits.get(day)!.length,
    })),
    medianSeconds: median(all),
    responses: all.length,
  };
}
