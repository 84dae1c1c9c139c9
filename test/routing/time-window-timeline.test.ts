/**
 * The timeline against the rule it implements, read the slow way: for windows drawn at random
 * (with allow windows, overnight ones, day lists and times DST skips), in zones with and without
 * daylight saving, every instant asked gives what checking each window occurrence in turn gives,
 * and the week's grid agrees with the state at each of its hours.
 */
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import type { DayName, TimeWindow } from '../../gateway/config/schema';
import { weekSchedule } from '../../gateway/routing/schedule';
import { windowClock, windowState } from '../../gateway/routing/time-windows';

const DAYS: DayName[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'];
// The nights clocks change in Paris and New York, and an ordinary week.
const STARTS = ['2026-03-28T12:00:00Z', '2026-10-24T18:00:00Z', '2026-11-01T03:00:00Z', '2026-11-23T09:17:00Z'];

/** The rule as written: usable at t unless a block window's occurrence holds t, and where allow windows exist, only inside one. */
function usableTheSlowWay(windows: TimeWindow[], timeZone: string, t: number): boolean {
  const today = Temporal.Instant.fromEpochMilliseconds(t).toZonedDateTimeISO(timeZone).toPlainDate();
  let allowed = !windows.some((w) => w.action === 'allow');
  for (let offset = -1; offset <= 0; offset++) {
    const date = today.add({ days: offset });
    for (const w of windows) {
      if (w.days && !w.days.includes(DAYS[date.dayOfWeek - 1] as DayName)) continue;
      const start = Temporal.PlainTime.from(w.start);
      const end = Temporal.PlainTime.from(w.end);
      const endDate = Temporal.PlainTime.compare(end, start) <= 0 ? date.add({ days: 1 }) : date;
      const from = date.toZonedDateTime({ timeZone, plainTime: start }).epochMilliseconds;
      const to = endDate.toZonedDateTime({ timeZone, plainTime: end }).epochMilliseconds;
      if (t < from || t >= to) continue;
      if (w.action !== 'allow') return false;
      allowed = true;
    }
  }
  return allowed;
}

/** A small deterministic generator, so a failure names windows that can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

function drawWindows(next: () => number): TimeWindow[] {
  const time = () => `${String(Math.floor(next() * 24)).padStart(2, '0')}:${['00', '15', '30', '45'][Math.floor(next() * 4)]}`;
  return Array.from({ length: 1 + Math.floor(next() * 5) }, () => {
    const days = DAYS.filter(() => next() < 0.5);
    // A 02:xx start is one DST skips in spring: drawn often on purpose.
    const start = next() < 0.2 ? `02:${['00', '30'][Math.floor(next() * 2)]}` : time();
    return { start, end: time(), ...(days.length > 0 && next() < 0.6 ? { days } : {}), ...(next() < 0.3 ? { action: 'allow' as const } : {}) };
  });
}

/** `count` cases drawn from `seed`: windows, a zone and a start, the zones and starts taken in turn. */
function* cases(seed: number, count: number): Generator<{ windows: TimeWindow[]; zone: string; start: number; next: () => number }> {
  const next = random(seed);
  for (let round = 0; round < count; round++) {
    yield { windows: drawWindows(next), zone: ZONES[round % ZONES.length] as string, start: Date.parse(STARTS[round % STARTS.length] as string), next };
  }
}

describe('time windows read from one timeline', () => {
  it('agree with each occurrence checked in turn, and the state changes exactly where "until" says', () => {
    for (const { windows, zone, start, next } of cases(20261203, 60)) {
      for (let step = 0; step < 12; step++) {
        const now = start + Math.floor(next() * 8 * 86_400_000 / 60_000) * 60_000;
        const state = windowState(windows, zone, now);
        const context = JSON.stringify({ windows, zone, now: new Date(now).toISOString() });
        expect(state.usable, context).toBe(usableTheSlowWay(windows, zone, now));
        if (state.until === null) continue;
        expect(usableTheSlowWay(windows, zone, state.until), context).toBe(!state.usable);
        expect(usableTheSlowWay(windows, zone, state.until - 1), context).toBe(state.usable);
      }
    }
  });

  it('answers the same from a timeline kept for hours as from one built afresh, across days and DST nights', () => {
    // A window once a week, early in its day: its state's next change is a week away, at the far
    // end of what a timeline built the evening before covers; asked hourly for two days after.
    for (const day of DAYS) {
      const windows: TimeWindow[] = [{ start: '01:00', end: '02:00', days: [day] }];
      const clock = windowClock(windows, 'Europe/Paris');
      const built = Date.parse('2026-11-22T22:30:00Z'); // Sunday 23:30 in Paris
      for (let hour = 0; hour < 48; hour++) {
        const now = built + hour * 3_600_000;
        expect(clock(now), JSON.stringify({ day, hour })).toEqual(windowState(windows, 'Europe/Paris', now));
      }
    }
    for (const { windows, zone, start, next } of cases(42, 20)) {
      const clock = windowClock(windows, zone);
      let now = start;
      for (let step = 0; step < 40; step++) {
        now += Math.floor(next() * 6 * 60) * 60_000;
        expect(clock(now), JSON.stringify({ windows, zone, now: new Date(now).toISOString() })).toEqual(windowState(windows, zone, now));
      }
    }
  });

  it("gives the week's grid the state at half past each hour", () => {
    for (const { windows, zone, start: now } of cases(7, 10)) {
      const schedule = weekSchedule(windows, zone, now);
      const today = Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(zone).toPlainDate();
      const monday = today.subtract({ days: today.dayOfWeek - 1 });
      schedule.grid.forEach((hours, day) =>
        hours.forEach((usable, hour) => {
          const at = monday.add({ days: day }).toZonedDateTime({ timeZone: zone, plainTime: Temporal.PlainTime.from({ hour, minute: 30 }) }).epochMilliseconds;
          expect(usable, JSON.stringify({ windows, zone, day, hour })).toBe(usableTheSlowWay(windows, zone, at));
        }),
      );
      expect(schedule.usableNow).toBe(usableTheSlowWay(windows, zone, now));
    }
  });

  it('treats a window DST empties (02:30-03:15 on the spring-forward night in Paris) as empty', () => {
    const windows: TimeWindow[] = [{ start: '02:30', end: '03:15' }];
    expect(windowState(windows, 'Europe/Paris', Date.parse('2026-03-29T01:20:00Z')).usable).toBe(true); // 03:20 CEST
  });
});
