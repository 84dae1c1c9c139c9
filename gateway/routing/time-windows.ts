/**
 * Time windows, pure: given a deployment's windows, its zone and an instant, is it usable now and
 * when does that change? Windows repeat weekly, so looking 8 days ahead finds every change.
 *
 * Semantics (the seeds'): a `block` window (the default) is when the deployment is NOT used. Where
 * any `allow` window exists, the deployment is used only inside one (and still not inside a block).
 * A window whose end is not after its start crosses midnight (22:00-06:00); start == end is a whole
 * day. `days` name the day a window starts on. Wall-clock times that DST skips or repeats resolve
 * the way Temporal's 'compatible' disambiguation does (a skipped 02:30 becomes 03:30).
 */
import { temporal } from '../lazy';
import type { DayName, TimeWindow } from '../config/schema';

export interface WindowState {
  usable: boolean;
  /** Epoch ms when `usable` flips; null when it never does (no windows, or always the same). */
  until: number | null;
  /** Epoch ms before which this answer stays right: callers may cache it until then. */
  validUntil: number;
}

const DAY_BY_ISO_NUMBER: readonly DayName[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const HORIZON_DAYS = 8;
const DAY_MS = 86_400_000;

interface Interval {
  from: number;
  to: number;
  allow: boolean;
}

export function windowState(windows: readonly TimeWindow[] | undefined, timeZone: string, now: number): WindowState {
  if (!windows || windows.length === 0) return { usable: true, until: null, validUntil: Number.POSITIVE_INFINITY };
  const intervals = expand(windows, timeZone, now);
  const hasAllow = windows.some((w) => w.action === 'allow');
  const usableAt = (t: number): boolean => {
    let allowed = !hasAllow;
    for (const interval of intervals) {
      if (t < interval.from || t >= interval.to) continue;
      if (!interval.allow) return false;
      allowed = true;
    }
    return allowed;
  };

  // Every real change happens within a week; later boundaries include the artificial edge where
  // the expanded occurrences stop, which must not read as a change.
  const horizon = now + 7 * DAY_MS + 2 * 3_600_000;
  const boundaries = [...new Set(intervals.flatMap((i) => [i.from, i.to]))].filter((t) => t > now && t <= horizon).sort((a, b) => a - b);
  const usable = usableAt(now);
  const until = boundaries.find((t) => usableAt(t) !== usable) ?? null;
  return { usable, until, validUntil: boundaries[0] ?? now + DAY_MS };
}

/** Every occurrence of every window from yesterday (a window may still run past midnight) on. */
function expand(windows: readonly TimeWindow[], timeZone: string, now: number): Interval[] {
  const { Temporal } = temporal();
  const today = Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(timeZone).toPlainDate();
  const intervals: Interval[] = [];
  for (let offset = -1; offset <= HORIZON_DAYS; offset++) {
    const date = today.add({ days: offset });
    const day = DAY_BY_ISO_NUMBER[date.dayOfWeek - 1];
    for (const window of windows) {
      if (window.days && day && !window.days.includes(day)) continue;
      const start = Temporal.PlainTime.from(window.start);
      const end = Temporal.PlainTime.from(window.end);
      const endDate = Temporal.PlainTime.compare(end, start) <= 0 ? date.add({ days: 1 }) : date;
      intervals.push({
        from: date.toZonedDateTime({ timeZone, plainTime: start }).epochMilliseconds,
        to: endDate.toZonedDateTime({ timeZone, plainTime: end }).epochMilliseconds,
        allow: window.action === 'allow',
      });
    }
  }
  return intervals;
}

/** `HH:MM` wall-clock time of an instant in a zone, and the weekday when it is not today. */
export function describeInstant(epochMs: number, timeZone: string, now: number): string {
  const { Temporal } = temporal();
  const at = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
  const today = Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(timeZone).toPlainDate();
  const hhmm = `${String(at.hour).padStart(2, '0')}:${String(at.minute).padStart(2, '0')}`;
  if (Temporal.PlainDate.compare(at.toPlainDate(), today) === 0) return `${hhmm} ${timeZone}`;
  return `${DAY_BY_ISO_NUMBER[at.dayOfWeek - 1]} ${hhmm} ${timeZone}`;
}

/** The machine's own zone, the default for deployments that name none. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
