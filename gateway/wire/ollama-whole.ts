/**
 * A whole Ollama answer put together from its stream, by the rule Ollama's own server uses for a
 * request with `stream: false` (server/routes.go): the last line (`done: true`, with its counts,
 * durations and `context`), with the text and thinking of every line joined, and their logprobs
 * and tool calls gathered in order.
 *
 * Why the gateway streams what its client asked for whole: Ollama sends nothing of a whole answer
 * until it is done, so a stuck Ollama (a model that never finishes loading, a wedged runner) looks
 * like a long answer until the whole request's time is up. Streamed, the first-byte and idle
 * timeouts tell the two apart and the request falls back within seconds.
 */
type Line = Record<string, unknown>;

/** Where each endpoint's line keeps its text: `/api/chat` in `message`, `/api/generate` at its top. */
const TEXT = {
  'ollama.chat': { holder: (line: Line) => line.message as Line | undefined, text: 'content' },
  'ollama.generate': { holder: (line: Line) => line, text: 'response' },
} as const;

export type OllamaStreamingEndpoint = keyof typeof TEXT;

/** Joins the lines of a stream that ended with `done: true` (the stream reader checks that) into one answer. */
export async function wholeOllamaAnswer(lines: AsyncIterable<{ data: Line }>, endpoint: OllamaStreamingEndpoint): Promise<Line> {
  const { holder, text } = TEXT[endpoint];
  const texts: string[] = [];
  const thinking: string[] = [];
  const toolCalls: unknown[] = [];
  const logprobs: unknown[] = [];
  let last: Line = {};
  for await (const { data } of lines) {
    last = data;
    const part = holder(data);
    if (typeof part?.[text] === 'string') texts.push(part[text]);
    if (typeof part?.thinking === 'string') thinking.push(part.thinking);
    if (Array.isArray(part?.tool_calls)) for (const call of part.tool_calls) toolCalls.push(call);
    if (Array.isArray(data.logprobs)) for (const entry of data.logprobs) logprobs.push(entry);
  }
  // Ollama omits empty thinking, tool calls and logprobs from a whole answer, as from each line.
  const joined: Line = { [text]: texts.join('') };
  if (thinking.some((t) => t !== '')) joined.thinking = thinking.join('');
  if (toolCalls.length > 0) joined.tool_calls = toolCalls;
  const { logprobs: _logprobs, ...top } = last;
  let answer: Line;
  if (endpoint === 'ollama.chat') {
    const { thinking: _thinking, tool_calls: _toolCalls, ...message } = (last.message as Line | undefined) ?? {};
    answer = { ...top, message: { ...message, ...joined } };
  } else {
    const { thinking: _thinking, tool_calls: _toolCalls, ...generated } = top;
    answer = { ...generated, ...joined };
  }
  if (logprobs.length > 0) answer.logprobs = logprobs;
  return answer;
}
