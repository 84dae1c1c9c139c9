/**
 * A kept request as a shell command that sends it again to the same front door, as the client sent
 * it (and a line end after it, which JSON ignores: a here-document ends with one). What came from the client (its body) is quoted so that pasting the command runs curl and
 * nothing else: the body in a quoted here-document whose closing word appears on no line of it.
 */

/** Where each front door's usage rows (their `endpoint`) were sent; the playground's have no path of their own. */
const PATHS: Record<string, string> = {
  'chat.completions': '/v1/chat/completions',
  completions: '/v1/completions',
  embeddings: '/v1/embeddings',
  'anthropic.messages': '/v1/messages',
  responses: '/v1/responses',
  'responses.compact': '/v1/responses/compact',
  'ollama.chat': '/api/chat',
  'ollama.generate': '/api/generate',
  'ollama.embed': '/api/embed',
  'ollama.embeddings': '/api/embeddings',
};

/** The here-document's closing word: "JSON", lengthened until no line of the body is exactly it. */
function closingWord(body: string): string {
  const lines = new Set(body.split('\n'));
  let word = 'JSON';
  while (lines.has(word)) word += '_';
  return word;
}

const quoted = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * The command for a row's endpoint, or undefined for one with no path of its own (the playground's).
 * `body` undefined: the request was cut short here, so the command reads the downloaded file.
 */
export function curlOf(origin: string, endpoint: string, body: string | undefined, keyRequired: boolean): string | undefined {
  const path = Object.hasOwn(PATHS, endpoint) ? PATHS[endpoint] : undefined;
  if (!path) return undefined;
  const headers = [
    "-H 'content-type: application/json'",
    ...(path === '/v1/messages' ? ["-H 'anthropic-version: 2023-06-01'"] : []),
    ...(keyRequired ? ["-H 'authorization: Bearer <your client key>'"] : []),
  ];
  const command = `curl -sS ${quoted(`${origin}${path}`)} ${headers.join(' ')}`;
  if (body === undefined) return `${command} --data-binary @request.json`;
  const word = closingWord(body);
  return `${command} --data-binary @- <<'${word}'\n${body}\n${word}`;
}
