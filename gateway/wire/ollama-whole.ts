/**
 * A whole Ollama answer put together from its lines, by the rule Ollama's own server uses for a
 * request with `stream: false` (server/routes.go): the last line (`done: true`, with its counts,
 * durations and `context`), with the text and thinking of every line joined, and their logprobs
 * and tool calls gathered in order. A `/api/chat` line carries its text in `message`, a
 * `/api/generate` line at its top.
 *
 * Used for an upstream's stream (the gateway asks Ollama for a stream even when its client wants a
 * whole answer: Ollama sends nothing of a whole answer until it is done, so a stuck Ollama would look
 * like a long answer until the whole request's time is up; streamed, the first-byte and idle
 * timeouts tell the two apart) and for a cached stream served whole.
 */
type Line = Record<string, unknown>;

/** Joins the lines of one answer, in order, the last one `done: true`. */
export function wholeFromLines(lines: Iterable<Line>): Line {
  const gathered = gatherer();
  for (const line of lines) gathered.add(line);
  return gathered.whole();
}

/** The same for an upstream's stream (whose reader checks that it ended with `done: true`). */
export async function wholeFromStream(lines: AsyncIterable<{ data: Line }>): Promise<Line> {
  const gathered = gatherer();
  for await (const { data } of lines) gathered.add(data);
  return gathered.whole();
}

function gatherer() {
  const texts: string[] = [];
  const thinking: string[] = [];
  const toolCalls: unknown[] = [];
  const logprobs: unknown[] = [];
  let last: Line = {};
  const holderOf = (line: Line): Line | undefined => (isChat(line) ? (line.message as Line) : line);
  return {
    add(line: Line) {
      last = line;
      const part = holderOf(line);
      const text = isChat(line) ? part?.content : line.response;
      if (typeof text === 'string') texts.push(text);
      if (typeof part?.thinking === 'string') thinking.push(part.thinking);
      if (Array.isArray(part?.tool_calls)) for (const call of part.tool_calls) toolCalls.push(call);
      if (Array.isArray(line.logprobs)) for (const entry of line.logprobs) logprobs.push(entry);
    },
    whole(): Line {
      // Ollama omits empty thinking, tool calls and logprobs from a whole answer, as from each line.
      const joined: Line = { [isChat(last) ? 'content' : 'response']: texts.join('') };
      if (thinking.some((t) => t !== '')) joined.thinking = thinking.join('');
      if (toolCalls.length > 0) joined.tool_calls = toolCalls;
      const { logprobs: _logprobs, ...top } = last;
      let answer: Line;
      if (isChat(last)) {
        const { thinking: _thinking, tool_calls: _toolCalls, ...message } = last.message as Line;
        answer = { ...top, message: { ...message, ...joined } };
      } else {
        const { thinking: _thinking, tool_calls: _toolCalls, ...generated } = top;
        answer = { ...generated, ...joined };
      }
      if (logprobs.length > 0) answer.logprobs = logprobs;
      return answer;
    },
  };
}

const isChat = (line: Line): boolean => typeof line.message === 'object' && line.message !== null;
