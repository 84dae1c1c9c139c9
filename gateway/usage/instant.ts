/**
 * An instant a person typed to say where a range of the usage log starts or ends (`usage export
 * --since`, the admin API's `since` and `until`): epoch milliseconds, or an ISO-8601 date or time.
 * A date is its midnight and a time without an offset its wall time, in the zone the log counts
 * days in (as every time the CLI prints is), not UTC as `Date.parse` reads a bare date. A date the
 * calendar has not (2026-02-30) is refused, where `Date.parse` moves it to March.
 */
import { temporal } from '../lazy';

/** Date and Temporal's range, about 275,000 years either way. */
const MAX_TIME_MS = 8.64e15;
const ISO = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** Its epoch milliseconds, or undefined for text that is not one of the forms above (said in INSTANT_FORMS). */
export function parseInstant(text: string, timeZone: string): number | undefined {
  if (/^\d{1,16}$/.test(text)) {
    const ms = Number(text);
    return ms <= MAX_TIME_MS ? ms : undefined;
  }
  const iso = ISO.exec(text);
  if (!iso) return undefined;
  const { Temporal } = temporal();
  const normal = text.replace(' ', 'T');
  try {
    if (iso[1]) return Temporal.Instant.from(normal).epochMilliseconds;
    return (normal.length === 10 ? Temporal.PlainDate.from(normal).toZonedDateTime({ timeZone }) : Temporal.PlainDateTime.from(normal).toZonedDateTime(timeZone)).epochMilliseconds;
  } catch {
    // A date the calendar has not, or an hour past 23: Temporal refuses what Date.parse would move.
    return undefined;
  }
}

export const INSTANT_FORMS = 'a date (2026-11-01: its midnight), a time (2026-11-01T08:00, or with its offset: 2026-11-01T08:00:00Z) or epoch milliseconds';
