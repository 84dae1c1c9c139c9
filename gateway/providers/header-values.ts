/**
 * What a header value cannot hold. undici refuses to send a line break or another control character,
 * or a character beyond Latin-1, so a config or key holding one failed every request at send time,
 * with only "invalid authorization header" to say why. These say so where the value is given, and
 * never repeat it (it may be a secret): only what the character is and where.
 */

/** A line break, a space or a character's code point, for a message: `a line break`, `the character U+2014`. */
export function characterAt(value: string, at: number): string {
  const code = value.codePointAt(at) ?? 0;
  if (code === 0x0a || code === 0x0d) return 'a line break';
  if (code === 0x20 || code === 0x09) return 'a space';
  return `the character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why no HTTP header can carry this value (where its first such character is), or undefined when one can. */
export function unsendableInHeader(value: string): string | undefined {
  const at = value.search(/[^\t\x20-\x7e\x80-\xff]/);
  return at < 0 ? undefined : `${characterAt(value, at)} (at character ${at + 1}), which no HTTP header can carry`;
}
