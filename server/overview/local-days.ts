import { DateTime, IANAZone } from 'luxon';

/**
 * The calendar days an Overview chart shows, in the member's time zone: the last `count` days up to today, the
 * instants they start and end at, and the day an instant falls on.
 */
export interface LocalDays {
  /** `YYYY-MM-DD`, oldest first, today last. */
  days: string[];
  /** The start of the first day. */
  from: Date;
  /** The start of the day after today. */
  to: Date;
  dayOf(at: Date): string;
}

export const isTimeZone = (name: string): boolean => IANAZone.isValidZone(name);

export function localDays(now: Date, timeZone: string, count: number): LocalDays {
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  const first = today.minus({ days: count - 1 });
  return {
    days: Array.from({ length: count }, (_, i) => first.plus({ days: i }).toISODate()!),
    from: first.toJSDate(),
    to: today.plus({ days: 1 }).toJSDate(),
    dayOf: (at) => DateTime.fromJSDate(at, { zone: timeZone }).toISODate()!,
  };
}

/** One zero per day, to count into. */
export const zeroPerDay = (range: Pick<LocalDays, 'days'>): Map<string, number> =>
  new Map(range.days.map((day) => [day, 0]));
