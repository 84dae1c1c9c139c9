/**
 * Text as a terminal or a spreadsheet may show it. What a client or an upstream wrote (a model's
 * name, an error's message) could hold escape sequences that move the cursor, retitle the window or
 * hide what follows, line breaks that forge lines, or bidirectional overrides that reorder what is
 * read. Each becomes a space.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ');
}
