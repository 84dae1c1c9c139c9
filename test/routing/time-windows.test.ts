import { describe, expect, it } from 'vitest';
import type { TimeWindow } from '../../gateway/config/schema';
import { describeInstant, windowState } from '../../gateway/routing/time-windows';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const office: TimeWindow[] = [{ start: '09:00', end: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] }];
const night: TimeWindow[] = [{ start: '22:00', end: '06:00' }];

describe('windowState', () => {
  const table: [string, TimeWindow[], string, string, boolean, string | null][] = [
    // name, windows, zone, now (UTC), usable, until (UTC)
    ['no windows: always usable', [], 'UTC', '2026-11-23T12:00:00Z', true, null],
    ['inside a weekday window in Paris (UTC+1 in winter)', office, 'Europe/Paris', '2026-11-23T10:00:00Z', false, '2026-11-23T17:00:00.000Z'],
    ['before the window opens', office, 'Europe/Paris', '2026-11-23T07:59:00Z', true, '2026-11-23T08:00:00.000Z'],
    ['after it closes on Friday: usable until Monday 09:00', office, 'Europe/Paris', '2026-11-27T17:30:00Z', true, '2026-11-30T08:00:00.000Z'],
    ['at the exact end instant the window is over', office, 'Europe/Paris', '2026-11-23T17:00:00Z', true, '2026-11-24T08:00:00.000Z'],
    ['at the exact start instant the window applies', office, 'Europe/Paris', '2026-11-23T08:00:00Z', false, '2026-11-23T17:00:00.000Z'],
    ['Saturday is outside a weekday-only window', office, 'Europe/Paris', '2026-11-28T12:00:00Z', true, '2026-11-30T08:00:00.000Z'],
    ['same wall clock in Paris summer (UTC+2)', office, 'Europe/Paris', '2026-07-06T10:00:00Z', false, '2026-07-06T16:00:00.000Z'],
    ['crossing midnight: just after midnight is inside', night, 'America/New_York', '2026-11-23T05:30:00Z', false, '2026-11-23T11:00:00.000Z'],
    ['crossing midnight: evening before start is outside', night, 'America/New_York', '2026-11-23T02:00:00Z', true, '2026-11-23T03:00:00.000Z'],
    ['Tokyo has no DST', [{ start: '00:00', end: '08:00' }], 'Asia/Tokyo', '2026-11-22T20:00:00Z', false, '2026-11-22T23:00:00.000Z'],
    ['a half-hour zone', [{ start: '12:00', end: '13:00' }], 'Asia/Kolkata', '2026-11-23T06:45:00Z', false, '2026-11-23T07:30:00.000Z'],
    ['start == end blocks the whole day', [{ start: '00:00', end: '00:00', days: ['sat'] }], 'UTC', '2026-11-28T12:00:00Z', false, '2026-11-29T00:00:00.000Z'],
    ['adjacent windows merge into one blocked stretch', [{ start: '08:00', end: '12:00' }, { start: '12:00', end: '14:00' }], 'UTC', '2026-11-23T09:00:00Z', false, '2026-11-23T14:00:00.000Z'],
    ['allow windows: used only inside them', [{ start: '18:00', end: '08:00', action: 'allow' }], 'UTC', '2026-11-23T12:00:00Z', false, '2026-11-23T18:00:00.000Z'],
    ['allow windows: inside one it is usable', [{ start: '18:00', end: '08:00', action: 'allow' }], 'UTC', '2026-11-23T20:00:00Z', true, '2026-11-24T08:00:00.000Z'],
    [
      'a block window inside an allow window still blocks',
      [{ start: '00:00', end: '00:00', action: 'allow' }, { start: '10:00', end: '11:00' }],
      'UTC',
      '2026-11-23T10:30:00Z',
      false,
      '2026-11-23T11:00:00.000Z',
    ],
    ['blocked every day at all hours: never usable again', [{ start: '00:00', end: '00:00' }], 'UTC', '2026-11-23T10:30:00Z', false, null],
  ];

  for (const [name, windows, zone, now, usable, until] of table) {
    it(name, () => {
      const state = windowState(windows, zone, at(now));
      expect({ usable: state.usable, until: iso(state.until) }).toEqual({ usable, until });
    });
  }

  describe('daylight saving changes', () => {
    it('a window across the spring-forward night lasts one hour less (Europe/Paris, 29 Mar 2026)', () => {
      const windows: TimeWindow[] = [{ start: '01:00', end: '05:00' }];
      const state = windowState(windows, 'Europe/Paris', at('2026-03-29T00:30:00Z')); // 01:30 CET
      expect(state.usable).toBe(false);
      expect(iso(state.until)).toBe('2026-03-29T03:00:00.000Z'); // 05:00 CEST
    });

    it('a window starting in the skipped hour starts at the first valid instant (02:30 -> 03:30 CEST)', () => {
      const windows: TimeWindow[] = [{ start: '02:30', end: '04:00' }];
      const before = windowState(windows, 'Europe/Paris', at('2026-03-29T00:45:00Z')); // 01:45 CET
      expect(before.usable).toBe(true);
      expect(iso(before.until)).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
    });

    it('a window across the fall-back night lasts one hour more (America/New_York, 1 Nov 2026)', () => {
      const windows: TimeWindow[] = [{ start: '00:00', end: '03:00' }];
      const state = windowState(windows, 'America/New_York', at('2026-11-01T04:30:00Z')); // 00:30 EDT
      expect(state.usable).toBe(false);
      expect(iso(state.until)).toBe('2026-11-01T08:00:00.000Z'); // 03:00 EST
    });
  });

  it('names the weekday of a change that is not today', () => {
    const now = at('2026-11-27T17:30:00Z'); // Friday 18:30 in Paris
    const state = windowState(office, 'Europe/Paris', now);
    expect(describeInstant(state.until as number, 'Europe/Paris', now)).toBe('mon 09:00 Europe/Paris');
    expect(describeInstant(at('2026-11-27T20:00:00Z'), 'Europe/Paris', now)).toBe('21:00 Europe/Paris');
  });

  it('says a cool-down within the hour to the second, and whole minutes and later times to the minute', () => {
    const now = at('2026-11-27T17:30:17Z'); // 18:30:17 in Paris
    expect(describeInstant(at('2026-11-27T17:30:27.620Z'), 'Europe/Paris', now)).toBe('18:30:27 Europe/Paris');
    expect(describeInstant(at('2026-11-27T17:45:00Z'), 'Europe/Paris', now)).toBe('18:45 Europe/Paris');
    expect(describeInstant(at('2026-11-27T19:30:27Z'), 'Europe/Paris', now)).toBe('20:30 Europe/Paris');
    expect(describeInstant(at('2026-11-27T17:29:27Z'), 'Europe/Paris', now)).toBe('18:29 Europe/Paris');
  });

  it('says how long its answer stays valid (the next boundary)', () => {
    const state = windowState(office, 'Europe/Paris', at('2026-11-23T10:00:00Z'));
    expect(iso(state.validUntil)).toBe('2026-11-23T17:00:00.000Z');
  });
});
