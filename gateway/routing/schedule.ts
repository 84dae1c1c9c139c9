/**
 * A deployment's week at a glance, for the time-window editor: for each day and hour of the
 * current week (in the deployment's zone), is it usable at half past; and a sentence for now,
 * e.g. "blocked now, usable again at 18:00 Europe/Paris (in 2 h 13 min)".
 */
import { temporal } from '../lazy';
import type { TimeWindow } from '../config/schema';
import { describeInstant, localDate, stateAt, timeline, usableAt, windowState } from './time-windows';

export interface Schedule {
  timeZone: string;
  /** grid[day][hour], day 0 = Monday. */
  grid: boolean[][];
  usableNow: boolean;
  changesAt: string | null;
  summary: string;
}

export function weekSchedule(windows: readonly TimeWindow[] | undefined, timeZone: string, now: number): Schedule {
  const { Temporal } = temporal();
  const today = localDate(now, timeZone);
  const monday = today.subtract({ days: today.dayOfWeek - 1 });
  // One timeline from the Sunday before to 8 days after today answers both the grid and "now".
  const line = windows && windows.length > 0 ? timeline(windows, timeZone, monday, -1, today.dayOfWeek - 1 + 8) : undefined;
  const grid = Array.from({ length: 7 }, (_, day) =>
    Array.from({ length: 24 }, (_, hour) => {
      if (!line) return true;
      return usableAt(line, monday.add({ days: day }).toZonedDateTime({ timeZone, plainTime: Temporal.PlainTime.from({ hour, minute: 30 }) }).epochMilliseconds);
    }),
  );
  const state = line ? stateAt(line, now) : windowState(windows, timeZone, now);
  let summary = state.usable ? 'usable now' : 'blocked now';
  if (state.until !== null) {
    const minutes = Math.max(1, Math.round((state.until - now) / 60_000));
    const span = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
    summary += state.usable ? `, blocked from ${describeInstant(state.until, timeZone, now)} (in ${span})` : `, usable again at ${describeInstant(state.until, timeZone, now)} (in ${span})`;
  } else if (!state.usable) {
    summary += ', and never usable with these windows';
  }
  return { timeZone, grid, usableNow: state.usable, changesAt: state.until === null ? null : new Date(state.until).toISOString(), summary };
}
