/**
 * The patterns the gateway's schemas check strings against, each with what a value it refuses
 * should have been, in words: a client told `limit must match pattern "^[0-9]{1,4}$"` is left to
 * read a regular expression. One source for both, so a pattern and its words cannot drift apart.
 */
const WORDS = new Map<string, string>();

function pattern(source: string, words: string): string {
  WORDS.set(source, words);
  return source;
}

export const NAME_PATTERN = pattern('^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}$', 'a valid name (letters, digits and . _ : / @ -, up to 128)');
export const HHMM_PATTERN = pattern('^([01][0-9]|2[0-3]):[0-5][0-9]$', 'a time in HH:MM form (00:00 to 23:59)');
/** How a web origin rule looks to the config schema; origins.ts's `originRule` says the rest. */
export const ORIGIN_PATTERN = pattern('^[A-Za-z][A-Za-z0-9+.-]{0,30}://[^/?#\\s]{1,160}$', 'an origin: a scheme and a host, maybe a port, and nothing after (http://localhost:5173)');
/** The desktop's key store keeps providers' keys by their names; the webhook's name is one no provider can have. */
export const WEBHOOK_SECRET = '#webhook';
export const WEBHOOK_REFERENCE_PATTERN = pattern('^(env:[A-Za-z_][A-Za-z0-9_]*|secret:#webhook)$', 'a reference to the webhook\'s URL: env:NAME (an environment variable), or secret:#webhook (pasted in the desktop app)');
/**
 * A reference to a secret: `env:NAME` (an environment variable) or `secret:NAME` (a key the desktop
 * app stored encrypted). A provider's `apiKey` must be one; a header's value may be one.
 */
export const KEY_REFERENCE_PATTERN = pattern('^(env:[A-Za-z_][A-Za-z0-9_]*|secret:[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127})$', 'a reference to a key: env:NAME (an environment variable), or secret:NAME (a key typed in the desktop app)');
const KEY_REFERENCE = new RegExp(KEY_REFERENCE_PATTERN);
export const isKeyReference = (value: string): boolean => KEY_REFERENCE.test(value);
export const KEY_NAME_PATTERN = pattern('^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', 'a valid key name (letters, digits and . _ -, up to 64)');
export const STATUS_PATTERN = pattern('^(ok|error|[1-5][0-9][0-9])$', '"ok", "error" or an HTTP status (100 to 599)');
export const PAGE_SIZE_PATTERN = pattern('^(100|[1-9][0-9]?)$', 'a whole number from 1 to 100');
export const ID_PATTERN = pattern('^[A-Za-z0-9_-]+$', 'an id (letters, digits, _ and -)');
export const PRINTABLE_PATTERN = pattern('^[^\\u0000-\\u001f\\u007f]+$', 'a name without control characters (line breaks, tabs and the like)');

/** A count or an id in a query string or path, where every value is text: at most `n` digits. */
export const digitsPattern = (n: number) => pattern(`^[0-9]{1,${n}}$`, `a whole number (at most ${n} digits)`);

/** The words for a pattern defined here, or undefined for one that is not (it is quoted as it is). */
export function patternWords(source: string): string | undefined {
  return WORDS.get(source);
}
