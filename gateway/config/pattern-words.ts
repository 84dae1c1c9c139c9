/**
 * What a value a schema's `pattern` refused should have been, in words: a client told `limit must
 * match pattern "^[0-9]{1,4}$"` is left to read a regular expression. Keyed by the patterns the
 * gateway's schemas use; one not listed is quoted as it is.
 */
import { HHMM_PATTERN, NAME_PATTERN } from './schema';
import { ORIGIN_PATTERN } from './origins';

const WORDS = new Map<string, string>([
  [HHMM_PATTERN, 'a time in HH:MM form (00:00 to 23:59)'],
  [NAME_PATTERN, 'a valid name (letters, digits and . _ : / @ -, up to 128)'],
  [ORIGIN_PATTERN, 'an origin: a scheme and a host, maybe a port, and nothing after (http://localhost:5173)'],
  ['^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', 'a valid key name (letters, digits and . _ -, up to 64)'],
  ['^(ok|error|[1-5][0-9][0-9])$', '"ok", "error" or an HTTP status (100 to 599)'],
  ['^(100|[1-9][0-9]?)$', 'a whole number from 1 to 100'],
  ['^[A-Za-z0-9_-]+$', 'an id (letters, digits, _ and -)'],
  ['^[^\\u0000-\\u001f\\u007f]+$', 'a name without control characters (line breaks, tabs and the like)'],
]);

/** `^[0-9]{1,N}$`: a count or an id in a query string or path, where every value is text. */
const DIGITS = /^\^\[0-9\]\{1,(\d+)\}\$$/;

export function patternWords(pattern: string): string | undefined {
  const digits = DIGITS.exec(pattern);
  return digits ? `a whole number (at most ${digits[1]} digits)` : WORDS.get(pattern);
}
