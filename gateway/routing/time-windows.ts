/**
 * Time windows, pure: given a deployment's windows, its zone and an instant, is it usable now and
 * when does that change? Windows repeat weekly, so looking 8 days ahead finds every change.
 *
 * Semantics (the seeds'): a `block` window (the default) is when the deployment is NOT used. Where
 * any `allow` window exists, the deployment is used only inside one (and still not inside a block).
 * A window whose end is not after its start crosses midnight (22:00-06:00); start == end is a whole
 * day. `days` name the day a window starts on. Wall-clock times that DST skips or repeats resolve
 * the way Temporal's 'compatible' disambiguation does (a skipped 02:30 becomes 03:30).
 *
 * The windows are expanded once into a timeline (each instant where a window opens or closes, and
 * whether the deployment is usable from then on), read by binary search: a deployment with the
 * config's 64 windows costs a few thousand zone conversions, not one per window per instant asked.
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

/** Whether the deployment is usable from each instant on: `at` ascending, one entry per distinct edge. */
export interface Timeline {
  readonly at: readonly number[];
  readonly usable: readonly boolean[];
  /** Before the first edge (no window open): usable unless only allow windows make it so. */
  readonly usableBefore: boolean;
}

type PlainDate = ReturnType<ReturnType<typeof temporal>['Temporal']['PlainDate']['from']>;

const DAY_BY_ISO_NUMBER: readonly DayName[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const HORIZON_DAYS = 8;
const DAY_MS = 86_400_000;
const REUSE_MS = 20 * 3_600_000;

export function windowState(windows: readonly TimeWindow[] | undefined, timeZone: string, now: number): WindowState {
  return windowClock(windows, timeZone)(now);
}

/**
 * A deployment's state at any instant, its timeline kept between calls: one built at `t` covers
 * yesterday to 8 days ahead of t's date, which answers every instant of the next 20 hours (a state
 * looks 7 days and 2 hours ahead), so asking again when the state changes costs a binary search.
 */
export function windowClock(windows: readonly TimeWindow[] | undefined, timeZone: string): (now: number) => WindowState {
  if (!windows || windows.length === 0) return () => ({ usable: true, until: null, validUntil: Number.POSITIVE_INFINITY });
  let line: Timeline | undefined;
  let builtAt = 0;
  return (now) => {
    if (!line || now < builtAt || now >= builtAt + REUSE_MS) {
      line = timeline(windows, timeZone, localDate(now, timeZone), -1, HORIZON_DAYS);
      builtAt = now;
    }
    return stateAt(line, now);
  };
}

/** The state at `now` read from a timeline that covers yesterday to 8 days ahead of it. */
export function stateAt(line: Timeline, now: number): WindowState {
  // Every real change happens within a week; later edges include the artificial one where the
  // expanded occurrences stop, which must not read as a change.
  const horizon = now + 7 * DAY_MS + 2 * 3_600_000;
  const next = firstAfter(line.at, now);
  const usable = next === 0 ? line.usableBefore : (line.usable[next - 1] as boolean);
  let until: number | null = null;
  for (let i = next; i < line.at.length && (line.at[i] as number) <= horizon; i++) {
    if (line.usable[i] !== usable) {
      until = line.at[i] as number;
      break;
    }
  }
  const first = line.at[next];
  return { usable, until, validUntil: first !== undefined && first <= horizon ? first : now + DAY_MS };
}

export function usableAt(line: Timeline, t: number): boolean {
  const next = firstAfter(line.at, t);
  return next === 0 ? line.usableBefore : (line.usable[next - 1] as boolean);
}

/**
 * Every occurrence of every window starting on the days `from` to `to` after `date`, swept into a
 * timeline: at each edge, usable when no block window is open and (without allow windows, or with
 * one open).
 */
export function timeline(windows: readonly TimeWindow[], timeZone: string, date: PlainDate, from: number, to: number): Timeline {
  const { Temporal } = temporal();
  const hasAllow = windows.some((w) => w.action === 'allow');
  const times = windows.map((w) => {
    const start = Temporal.PlainTime.from(w.start);
    const end = Temporal.PlainTime.from(w.end);
    return { start, end, overnight: Temporal.PlainTime.compare(end, start) <= 0 };
  });
  // [instant, +1 opens / -1 closes, allow]; windows sharing a time on a day share its conversion.
  const edges: [number, number, boolean][] = [];
  for (let offset = from; offset <= to; offset++) {
    const day = date.add({ days: offset });
    const next = day.add({ days: 1 });
    const name = DAY_BY_ISO_NUMBER[day.dayOfWeek - 1];
    const instants = new Map<string, number>();
    const instant = (on: PlainDate, time: (typeof times)[number]['start'], key: string) => {
      let ms = instants.get(key);
      if (ms === undefined) instants.set(key, (ms = on.toZonedDateTime({ timeZone, plainTime: time }).epochMilliseconds));
      return ms;
    };
    windows.forEach((window, i) => {
      if (window.days && name && !window.days.includes(name)) return;
      const { start, end, overnight } = times[i] as (typeof times)[number];
      const allow = window.action === 'allow';
      const opens = instant(day, start, `0 ${window.start}`);
      const closes = overnight ? instant(next, end, `1 ${window.end}`) : instant(day, end, `0 ${window.end}`);
      // A window whose start DST moves past its end (02:30-03:15 on a spring-forward night) is empty.
      if (closes <= opens) return;
      edges.push([opens, 1, allow], [closes, -1, allow]);
    });
  }
  edges.sort((a, b) => a[0] - b[0]);
  const at: number[] = [];
  const usable: boolean[] = [];
  let allowsOpen = 0;
  let blocksOpen = 0;
  for (let i = 0; i < edges.length; ) {
    const instantMs = (edges[i] as (typeof edges)[number])[0];
    for (; i < edges.length && (edges[i] as (typeof edges)[number])[0] === instantMs; i++) {
      const [, change, allow] = edges[i] as (typeof edges)[number];
      if (allow) allowsOpen += change;
      else blocksOpen += change;
    }
    at.push(instantMs);
    usable.push(blocksOpen === 0 && (!hasAllow || allowsOpen > 0));
  }
  return { at, usable, usableBefore: !hasAllow };
}

/** The index of the first entry after `t` (binary search; `at` is ascending). */
function firstAfter(at: readonly number[], t: number): number {
  let low = 0;
  let high = at.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((at[mid] as number) <= t) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The calendar date of an instant in a zone. */
export function localDate(epochMs: number, timeZone: string): PlainDate {
  const { Temporal } = temporal();
  return Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone).toPlainDate();
}

/**
 * `HH:MM` wall-clock time of an instant in a zone, and the weekday when it is not today. An instant
 * within the hour that is not on a whole minute (a breaker's or a rate limit's seconds-long cool-down)
 * is said to the second: "open until 21:13" said at 21:13:17 names no time to wait for.
 */
export function describeInstant(epochMs: number, timeZone: string, now: number): string {
  const { Temporal } = temporal();
  const at = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  const seconds = epochMs % 60_000 !== 0 && epochMs > now && epochMs - now < 3_600_000;
  const hhmm = `${two(at.hour)}:${two(at.minute)}${seconds ? `:${two(at.second)}` : ''}`;
  if (Temporal.PlainDate.compare(at.toPlainDate(), localDate(now, timeZone)) === 0) return `${hhmm} ${timeZone}`;
  return `${DAY_BY_ISO_NUMBER[at.dayOfWeek - 1]} ${hhmm} ${timeZone}`;
}

/** The machine's own zone, the default for deployments that name none. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
