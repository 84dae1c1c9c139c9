/** A budget's period around an instant, in its time zone: a day, a week from Monday, a month. */
import type { BudgetConfig } from '../config/schema';
import { temporal } from '../lazy';

export interface Period {
  start: number;
  end: number;
}

export function periodAt(period: BudgetConfig['period'], timeZone: string, now: number): Period {
  const { Temporal } = temporal();
  const here = Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(timeZone);
  const day = here.startOfDay();
  const start = period === 'day' ? day : period === 'week' ? day.subtract({ days: here.dayOfWeek - 1 }).startOfDay() : day.with({ day: 1 }).startOfDay();
  const end = (period === 'day' ? start.add({ days: 1 }) : period === 'week' ? start.add({ weeks: 1 }) : start.add({ months: 1 })).startOfDay();
  return { start: start.epochMilliseconds, end: end.epochMilliseconds };
}

/** Days in a zone, as the usage log's day rollups count them. */
export function daysIn(timeZone: string): { zone: string; dayAt(ms: number): Period } {
  return { zone: timeZone, dayAt: (ms) => periodAt('day', timeZone, ms) };
}
