/**
 * A request as a shell command: curl posting a JSON body to a front door. What came from a client
 * or a form (the body) is quoted so that pasting the command runs curl and nothing else: the body in
 * a quoted here-document whose closing word appears on no line of it (a here-document ends with a
 * line end, which JSON ignores). The usage drawer's "Send it again" and the playground's code share it.
 */

/** The here-document's closing word: "JSON", lengthened until no line of the body is exactly it. */
function closingWord(body: string): string {
  const lines = new Set(body.split('\n'));
  let word = 'JSON';
  while (lines.has(word)) word += '_';
  return word;
}

const quoted = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** `body` undefined: the command reads `request.json` (a request cut short here, downloaded whole). */
export function curlCommand(url: string, body: string | undefined, keyRequired: boolean): string {
  const headers = [
    "-H 'content-type: application/json'",
    ...(new URL(url).pathname === '/v1/messages' ? ["-H 'anthropic-version: 2023-06-01'"] : []),
    ...(keyRequired ? ["-H 'authorization: Bearer <your client key>'"] : []),
  ];
  const command = `curl -sS ${quoted(url)} ${headers.join(' ')}`;
  if (body === undefined) return `${command} --data-binary @request.json`;
  const word = closingWord(body);
  return `${command} --data-binary @- <<'${word}'\n${body}\n${word}`;
}
